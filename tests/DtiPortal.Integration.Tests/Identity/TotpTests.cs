using DtiPortal.Application.Identity;

namespace DtiPortal.Integration.Tests.Identity;

public class TotpTests
{
    // RFC 6238 appendix B, SHA-1 test vectors (key "12345678901234567890" = GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ), last 6 digits.
    [Theory]
    [InlineData(59L, "287082")]
    [InlineData(1111111109L, "081804")]
    [InlineData(1234567890L, "005924")]
    [InlineData(2000000000L, "279037")]
    public void Code_MatchesRfc6238Vectors(long unixSeconds, string expected) =>
        Assert.Equal(expected, Totp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));
}
