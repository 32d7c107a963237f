using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Identity;

/// <summary>Thrown by the user administration for a refused request that is not a permission problem (unknown user,
/// disabling one's own account, …). The message is Vietnamese and shown as it is.</summary>
public sealed class UserAdminException(string message) : Exception(message);

/// <summary>The admin doing the work: whether they are a system admin, and the unit their own account belongs to.</summary>
public sealed record UserAdminActor(string? UserId, bool IsSystemAdmin, int? OwnUnitId);

/// <summary>An account an admin is allowed to manage, as loaded by <see cref="UserAdminPolicy.DemandManageAsync"/>.</summary>
public sealed record ManagedUser(AppUser User, UserAdminUnit Unit, IReadOnlyList<string> Roles, UserAdminActor Actor)
{
    public bool IsSelf => Actor.UserId == User.Id;
}

/// <summary>A unit as the permission rules need it.</summary>
public sealed record UserAdminUnit(int Id, string Code, string Name, int? ParentId);

/// <summary>
/// Who may manage which accounts (issue 3 §1). The rules, also in docs/user/quan-tri-nguoi-dung.md:
/// <list type="number">
/// <item>Only a <see cref="Roles.ProvincialAdmin"/> or a <see cref="Roles.SystemAdmin"/> may list, create, import, reset,
///   disable or change the roles of accounts (AccessGuard; a system admin passes every check).</item>
/// <item>A provincial admin manages only accounts whose unit lies in their scope (their own unit and everything below it,
///   <see cref="IUnitScope.CanSee"/>), and creates accounts only in such units.</item>
/// <item>Only a system admin grants or removes <see cref="Roles.SystemAdmin"/>, and only a system admin manages an account
///   that holds it.</item>
/// <item><see cref="Roles.ProvincialAdmin"/> at province level (a top-level unit) or at the admin's own unit is granted and
///   removed only by a system admin, and such peer admins are managed only by a system admin. A provincial admin may
///   delegate: grant ProvincialAdmin to accounts of units strictly below their own unit (e.g. a district), whose scope is
///   then that smaller subtree.</item>
/// <item>Every other role may be granted by any admin who may manage the account.</item>
/// <item>No admin disables their own account or removes their own admin role (so the last admin cannot lock everyone out
///   by mistake); another admin must do it.</item>
/// </list>
/// A refusal under rules 1–4 is written to the audit trail as "AccessDenied" and thrown as <see cref="AccessDeniedException"/>.
/// </summary>
public sealed class UserAdminPolicy(AccessGuard guard, IUnitScope scope, IAuditLog audit, IDbContextFactory<DtiDbContext> dbFactory)
{
    public IUnitScope Scope => scope;

    /// <summary>Rules 1 and 2: an admin role, and the unit (when given) in scope. Every use case calls this first.</summary>
    public Task DemandAdminAsync(string action, int? unitId, CancellationToken ct) =>
        guard.DemandAsync(action, unitId, Roles.Admins, ct);

    public async Task<UserAdminActor> ActorAsync(CancellationToken ct)
    {
        var isSystem = scope.IsInRole(Roles.SystemAdmin) || (scope.UserId is null && scope.IsUnrestricted);
        if (scope.UserId is null) return new UserAdminActor(null, isSystem, null);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var unitId = await db.Users.AsNoTracking().Where(u => u.Id == scope.UserId).Select(u => (int?)u.UnitId).SingleOrDefaultAsync(ct);
        return new UserAdminActor(scope.UserId, isSystem, unitId);
    }

    public async Task<UserAdminUnit?> FindUnitAsync(int? id, string? code, CancellationToken ct)
    {
        if (id is null && string.IsNullOrWhiteSpace(code)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Units.AsNoTracking();
        query = id is { } i ? query.Where(u => u.Id == i) : query.Where(u => u.Code == code!.Trim());
        return await query.Select(u => new UserAdminUnit(u.Id, u.Code, u.Name, u.ParentId)).SingleOrDefaultAsync(ct);
    }

    /// <summary>Rules 3–5: why the actor may not grant (or remove) the role at the unit, or null when they may.</summary>
    public string? WhyCannotGrant(UserAdminActor actor, string role, UserAdminUnit unit)
    {
        if (actor.IsSystemAdmin) return null;
        if (role == Roles.SystemAdmin)
            return $"Chỉ quản trị hệ thống mới được cấp hoặc thu hồi vai trò {Roles.DisplayName(Roles.SystemAdmin)}.";
        if (role == Roles.ProvincialAdmin && (unit.ParentId is null || unit.Id == actor.OwnUnitId || !scope.CanSee(unit.Id)))
            return $"Chỉ quản trị hệ thống mới được cấp hoặc thu hồi vai trò {Roles.DisplayName(Roles.ProvincialAdmin)} ở cấp tỉnh " +
                   "hoặc ở đơn vị của chính bạn; bạn chỉ có thể giao quyền quản trị cho đơn vị cấp dưới.";
        return null;
    }

    /// <summary>Rules 3–4: why the actor may not manage an account holding these roles at this unit, or null.
    /// Their own account is not a "peer": what they may not do to it is rule 6, checked by the use cases.</summary>
    public string? WhyCannotManage(UserAdminActor actor, string targetUserId, IReadOnlyCollection<string> targetRoles, UserAdminUnit targetUnit)
    {
        if (actor.IsSystemAdmin || targetUserId == actor.UserId) return null;
        if (targetRoles.Contains(Roles.SystemAdmin))
            return "Chỉ quản trị hệ thống mới được thay đổi tài khoản quản trị hệ thống.";
        if (targetRoles.Contains(Roles.ProvincialAdmin) && (targetUnit.ParentId is null || targetUnit.Id == actor.OwnUnitId))
            return "Tài khoản quản trị cùng cấp với bạn hoặc ở cấp tỉnh chỉ quản trị hệ thống mới được thay đổi.";
        return null;
    }

    /// <summary>The roles the actor may grant at the unit (for the checkboxes of the pages).</summary>
    public IReadOnlyList<string> GrantableRoles(UserAdminActor actor, UserAdminUnit unit) =>
        Roles.All.Where(r => WhyCannotGrant(actor, r, unit) is null).ToList();

    /// <summary>
    /// Loads the account an action is about, demands the admin roles and its unit in scope (first, before anything else),
    /// then rules 3–4. Unknown account → <see cref="UserAdminException"/>.
    /// </summary>
    public async Task<ManagedUser> DemandManageAsync(UserManager<AppUser> users, string userId, string action, CancellationToken ct)
    {
        var user = await users.FindByIdAsync(userId);
        await DemandAdminAsync(action, user?.UnitId, ct);
        if (user is null) throw new UserAdminException("Không tìm thấy người dùng này.");
        var actor = await ActorAsync(ct);
        var unit = await FindUnitAsync(user.UnitId, null, ct) ?? throw new UserAdminException("Không tìm thấy đơn vị của người dùng này.");
        var roles = (await users.GetRolesAsync(user)).ToList();
        if (WhyCannotManage(actor, user.Id, roles, unit) is { } why) throw await DenyAsync(action, unit.Id, why, ct);
        return new ManagedUser(user, unit, roles, actor);
    }

    /// <summary>Writes the refusal to the audit trail, then throws it.</summary>
    public async Task<Exception> DenyAsync(string action, int? unitId, string reason, CancellationToken ct)
    {
        await audit.RefusedAsync(action, reason, unitId, ct: ct);
        return new AccessDeniedException(reason);
    }
}
