using DtiPortal.Web.Auth;

namespace DtiPortal.Integration.Tests.Web;

public class LocalUrlTests
{
    [Theory]
    [InlineData("/danh-gia/3", "/danh-gia/3")]
    [InlineData("/", "/")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("danh-gia", "/")]
    public void OrHome_KeepsOnlyAddressesOnThisSite(string? url, string expected) => Assert.Equal(expected, LocalUrl.OrHome(url));
}
