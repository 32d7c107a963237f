using DtiPortal.Application.Identity;
using Microsoft.AspNetCore.Identity;

namespace DtiPortal.Web.Auth;

/// <summary>
/// Issue 3 §1: an authenticator app is required for admins and council members by default
/// (setting Security:RequireTwoFactorForPrivilegedRoles, default true).
/// </summary>
public static class TwoFactorPolicy
{
    public static bool Required(IConfiguration configuration) =>
        configuration.GetValue("Security:RequireTwoFactorForPrivilegedRoles", true);

    public static async Task<bool> SetupRequiredAsync(UserManager<AppUser> users, AppUser user, IConfiguration configuration)
    {
        if (!Required(configuration) || await users.GetTwoFactorEnabledAsync(user)) return false;
        var roles = await users.GetRolesAsync(user);
        return roles.Any(r => Roles.Privileged.Contains(r));
    }
}
