using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Demo;

/// <summary>
/// One demo account per role in the demo units (Hưng Yên / Văn Lâm / Lạc Đạo), all with the same password.
/// Accounts that must use two-factor sign-in (admins, council) have it switched on with a published demo key:
/// add <see cref="AuthenticatorKey"/> to an authenticator app, or run `dti demo totp` for the current code.
/// Never use these accounts outside a demo.
/// </summary>
public sealed class DemoUsers(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IUserStore<AppUser> userStore, IDbContextFactory<DtiDbContext> dbFactory, TimeProvider clock)
{
    public const string Password = "DtiDemo2024";
    public const string AuthenticatorKey = "DTIDEMOQ2F5ANOIRT5YJMXP6Q3GAZ7LW";

    public sealed record Account(string UserName, string FullName, string UnitCode, string[] Roles, string? Department = null);

    public static IReadOnlyList<Account> Accounts { get; } =
    [
        new("xa.lacdao", "Nguyễn Thị Hoa", "33-VL-LDA", [Identity.Roles.CommuneOfficer]),
        // The commune formed on 1/7/2025 by merging Lạc Đạo, Chỉ Đạo and Đại Đồng: its 2025 round uses the 2361 maturity levels.
        new("xa.lacdao2025", "Phạm Minh Đức", "33-LD2025", [Identity.Roles.CommuneOfficer]),
        new("vanphong.lacdao", "Trần Văn Nam", "33-VL-LDA", [Identity.Roles.DepartmentOfficer], "Văn phòng - Thống kê"),
        new("thamtra.vanlam", "Lê Minh Tuấn", "33-VL", [Identity.Roles.DistrictReviewer]),
        new("hoidong.hungyen", "Phạm Thu Hằng", "33", [Identity.Roles.CouncilMember]),
        new("chutich.hungyen", "Đỗ Quang Vinh", "33", [Identity.Roles.CouncilMember, Identity.Roles.CouncilChair]),
        new("thuky.hungyen", "Vũ Thị Lan", "33", [Identity.Roles.CouncilMember, Identity.Roles.CouncilSecretary]),
        new("quantri.hungyen", "Hoàng Đức Anh", "33", [Identity.Roles.ProvincialAdmin]),
        new("quantri", "Quản trị hệ thống", "33", [Identity.Roles.SystemAdmin]),
    ];

    /// <summary>Creates the accounts that are missing. Returns how many were created.</summary>
    public async Task<int> SeedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Code, u => u.Id, ct);
        await CreateUser.EnsureRolesAsync(roles, Identity.Roles.All, ct);
        var created = 0;
        foreach (var a in Accounts)
        {
            if (await users.FindByNameAsync(a.UserName) is not null) continue;
            var user = new AppUser
            {
                UserName = a.UserName, FullName = a.FullName, UnitId = units[a.UnitCode], Department = a.Department,
                CreatedAt = clock.GetUtcNow(), LockoutEnabled = true,
            };
            Check(await users.CreateAsync(user, Password), a.UserName);
            Check(await users.AddToRolesAsync(user, a.Roles), a.UserName);
            if (a.Roles.Any(r => Identity.Roles.Privileged.Contains(r)))
            {
                await ((IUserAuthenticatorKeyStore<AppUser>)userStore).SetAuthenticatorKeyAsync(user, AuthenticatorKey, ct);
                Check(await users.UpdateAsync(user), a.UserName);
                Check(await users.SetTwoFactorEnabledAsync(user, true), a.UserName);
            }
            created++;
        }
        return created;
    }

    private static void Check(IdentityResult result, string userName)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Không tạo được tài khoản mẫu '{userName}': " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
