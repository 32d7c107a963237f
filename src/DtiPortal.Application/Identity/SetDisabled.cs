using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using Microsoft.AspNetCore.Identity;

namespace DtiPortal.Application.Identity;

/// <summary>
/// Disables or re-enables an account. A disabled account cannot sign in; the security stamp changes so open sessions lose
/// access at the next re-check. An admin cannot disable their own account.
/// </summary>
public sealed class SetDisabled(UserAdminPolicy policy, UserManager<AppUser> users, DtiDbContext db, IAuditLog audit)
{
    public async Task HandleAsync(string userId, bool disabled, CancellationToken ct = default)
    {
        var action = disabled ? "Khóa tài khoản" : "Mở lại tài khoản";
        db.ChangeTracker.Clear();
        var target = await policy.DemandManageAsync(users, userId, action, ct);
        if (target.IsSelf && disabled)
            throw new UserAdminException("Bạn không thể tự khóa tài khoản của chính mình; hãy nhờ một quản trị viên khác.");
        var user = target.User;
        if (user.IsDisabled == disabled) return;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            user.IsDisabled = disabled;
            await ResetPassword.Check(users.UpdateAsync(user));
            await ResetPassword.Check(users.UpdateSecurityStampAsync(user));
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();
        await audit.WriteAsync(new AuditEvent(disabled ? "UserDisabled" : "UserEnabled", nameof(AppUser), user.Id, target.Unit.Id,
            Before: $$"""{"IsDisabled":{{(!disabled).ToString().ToLowerInvariant()}}}""",
            After: $$"""{"IsDisabled":{{disabled.ToString().ToLowerInvariant()}}}""",
            Detail: $"{action} {user.UserName}."), ct);
    }
}
