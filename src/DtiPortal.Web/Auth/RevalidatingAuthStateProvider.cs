using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace DtiPortal.Web.Auth;

/// <summary>
/// Re-checks a live circuit's user every 2 seconds (issue 16 §6: a disabled user's open page must stop saving within 5 s).
/// The check is <see cref="SessionRevocation"/>, which reads the account at most once per user every couple of seconds on
/// each instance, so many open pages cost one small query, not one each. When it fails the circuit's user becomes anonymous:
/// the scope empties (nothing can be saved) and the page goes to sign-in.
/// </summary>
public sealed class RevalidatingAuthStateProvider(ILoggerFactory loggerFactory, SessionRevocation revocation, IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <summary>Security:RevalidationSeconds (default 2).</summary>
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(configuration.GetValue("Security:RevalidationSeconds", 2.0));

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) =>
        revocation.IsValidAsync(state.User, ct);
}
