using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using Microsoft.AspNetCore.Identity;

namespace DtiPortal.Application.Identity;

/// <summary>
/// Replaces an account's roles. Each added or removed role is audited ("RoleAdded"/"RoleRemoved", with the roles before and
/// after); the security stamp changes so the new roles apply at the next re-check. Rules: see <see cref="UserAdminPolicy"/>.
/// </summary>
public sealed class SetRoles(UserAdminPolicy policy, UserManager<AppUser> users, RoleManager<IdentityRole> roles, DtiDbContext db, IAuditLog audit)
{
    public const string Action = "Thay đổi vai trò";

    /// <returns>The account's roles afterwards.</returns>
    public async Task<IReadOnlyList<string>> HandleAsync(string userId, IReadOnlyCollection<string> newRoles, CancellationToken ct = default)
    {
        db.ChangeTracker.Clear();
        var target = await policy.DemandManageAsync(users, userId, Action, ct);
        var wanted = newRoles.Distinct().ToList();
        if (wanted.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown) throw new UserAdminException($"Vai trò '{unknown}' không hợp lệ.");
        if (wanted.Count == 0) throw new UserAdminException("Chọn ít nhất một vai trò.");
        var before = target.Roles;
        var added = wanted.Except(before).ToList();
        var removed = before.Except(wanted).ToList();
        if (added.Count == 0 && removed.Count == 0) return before;
        foreach (var role in added.Concat(removed))
            if (policy.WhyCannotGrant(target.Actor, role, target.Unit) is { } why)
                throw await policy.DenyAsync(Action, target.Unit.Id, why, ct);
        if (target.IsSelf && removed.Any(Roles.Admins.Contains))
            throw new UserAdminException("Bạn không thể tự thu hồi vai trò quản trị của chính mình; hãy nhờ một quản trị viên khác.");

        var user = target.User;
        await CreateUser.EnsureRolesAsync(roles, added, ct);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (added.Count > 0) await ResetPassword.Check(users.AddToRolesAsync(user, added));
            if (removed.Count > 0) await ResetPassword.Check(users.RemoveFromRolesAsync(user, removed));
            await ResetPassword.Check(users.UpdateSecurityStampAsync(user));
            await tx.CommitAsync(ct);
        }
        db.ChangeTracker.Clear();

        var after = before.Except(removed).Concat(added).OrderBy(r => Roles.All.ToList().IndexOf(r)).ToList();
        var beforeJson = System.Text.Json.JsonSerializer.Serialize(new { Roles = before });
        var afterJson = System.Text.Json.JsonSerializer.Serialize(new { Roles = after });
        foreach (var role in added)
            await audit.WriteAsync(new AuditEvent("RoleAdded", nameof(AppUser), user.Id, target.Unit.Id, beforeJson, afterJson,
                $"Cấp vai trò {Roles.DisplayName(role)} cho {user.UserName}."), ct);
        foreach (var role in removed)
            await audit.WriteAsync(new AuditEvent("RoleRemoved", nameof(AppUser), user.Id, target.Unit.Id, beforeJson, afterJson,
                $"Thu hồi vai trò {Roles.DisplayName(role)} của {user.UserName}."), ct);
        return after;
    }
}
