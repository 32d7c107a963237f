using System.Security.Claims;
using DtiPortal.Application.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DtiPortal.Web.Auth;

/// <summary>
/// Re-checks a live circuit's user every 30 seconds (issue 3 §2: a disabled user or a revoked role loses access in
/// open pages within a minute). Disabling and role changes update the security stamp, so a stamp mismatch is enough.
/// </summary>
public sealed class RevalidatingAuthStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<IdentityOptions> options, IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <summary>Security:RevalidationSeconds (default 30; tests shorten it).</summary>
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(configuration.GetValue("Security:RevalidationSeconds", 30));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.GetUserAsync(state.User);
        if (user is null || user.IsDisabled) return false;
        if (!users.SupportsUserSecurityStamp) return true;
        var principalStamp = state.User.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await users.GetSecurityStampAsync(user);
    }
}
