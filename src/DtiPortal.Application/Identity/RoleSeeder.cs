using Microsoft.AspNetCore.Identity;

namespace DtiPortal.Application.Identity;

public static class RoleSeeder
{
    /// <summary>Creates the roles of <see cref="Roles.All"/> that are missing (idempotent).</summary>
    public static async Task EnsureRolesAsync(RoleManager<IdentityRole> roles)
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
    }
}
