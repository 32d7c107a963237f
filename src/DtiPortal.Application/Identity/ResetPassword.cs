using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DtiPortal.Application.Identity;

/// <summary>
/// Gives an account a new temporary password (returned once), lifts a lock-out, and changes the security stamp so
/// sessions signed in with the old password lose access at the next re-check. One transaction.
/// </summary>
public sealed class ResetPassword(UserAdminPolicy policy, UserManager<AppUser> users, DtiDbContext db,
    IOptions<IdentityOptions> identityOptions, IAuditLog audit)
{
    public const string Action = "Đặt lại mật khẩu";

    public async Task<string> HandleAsync(string userId, CancellationToken ct = default)
    {
        db.ChangeTracker.Clear(); // the scoped context may outlive one operation in a Blazor circuit
        var target = await policy.DemandManageAsync(users, userId, Action, ct);
        var user = target.User;
        var password = TemporaryPassword.Generate(identityOptions.Value.Password);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await Check(users.RemovePasswordAsync(user));
            await Check(users.AddPasswordAsync(user, password));
            await Check(users.SetLockoutEndDateAsync(user, null));
            await Check(users.ResetAccessFailedCountAsync(user));
            if (!(await users.GetClaimsAsync(user)).Any(c => c.Type == AccountClaims.MustChangePassword))
                await Check(users.AddClaimAsync(user, new System.Security.Claims.Claim(AccountClaims.MustChangePassword, "true")));
            await Check(users.UpdateSecurityStampAsync(user));
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        await audit.WriteAsync(new AuditEvent("PasswordReset", nameof(AppUser), user.Id, target.Unit.Id,
            Detail: $"Đặt lại mật khẩu tạm thời cho {user.UserName} và mở khóa tài khoản."), ct);
        return password;
    }

    internal static async Task Check(Task<IdentityResult> call)
    {
        var result = await call;
        if (!result.Succeeded) throw new UserAdminException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
