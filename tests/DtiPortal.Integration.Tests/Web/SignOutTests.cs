using System.Net;
using DtiPortal.Integration.Tests.Evidence;

namespace DtiPortal.Integration.Tests.Web;

/// <summary>Issue 16 §3: POST /dang-xuat ends the session only with the antiforgery token of the sign-out form.</summary>
public class SignOutTests(EvidenceWebFixture fx) : IClassFixture<EvidenceWebFixture>
{
    [Fact]
    public async Task SignOut_WhenOnlyTheCookieIsSent_IsRefusedAndTheSessionStays()
    {
        var (client, _) = await fx.SignInAsync("xa.lacdao");
        var response = await client.PostAsync("/dang-xuat", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("chống giả mạo", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("dti.auth=;"));

        var home = await client.GetAsync("/danh-gia");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode); // still signed in: no redirect to /dang-nhap
    }

    [Fact]
    public async Task SignOut_WithTheFormsToken_EndsTheSession()
    {
        var (client, token) = await fx.SignInAsync("xa.lacdao");
        var response = await client.PostAsync("/dang-xuat", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dang-nhap?daDangXuat=1", response.Headers.Location!.OriginalString);

        var home = await client.GetAsync("/danh-gia");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/dang-nhap", home.Headers.Location!.ToString());
    }
}
