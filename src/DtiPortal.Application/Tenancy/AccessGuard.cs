using DtiPortal.Application.Audit;

namespace DtiPortal.Application.Tenancy;

/// <summary>Thrown by a use case when the current user may not do what they asked. The message is Vietnamese.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>
/// The service-layer check every use case makes (issue 3 §2): role and unit scope, not just hidden buttons.
/// A refusal is written to the audit trail before it is thrown.
/// </summary>
public sealed class AccessGuard(IUnitScope scope, IAuditLog audit)
{
    public IUnitScope Scope => scope;

    /// <summary>Requires one of the roles (system admins pass every role check) and, when given, that the unit is in scope.</summary>
    public async Task DemandAsync(string action, int? unitId, IReadOnlyCollection<string> anyOfRoles, CancellationToken ct = default)
    {
        // A trusted system process (CLI, start-up seeding, scheduled jobs: unrestricted and no user) passes role checks.
        var isSystem = scope.IsUnrestricted && scope.UserId is null;
        var roleOk = isSystem || anyOfRoles.Count == 0 || scope.IsInRole(Identity.Roles.SystemAdmin) || anyOfRoles.Any(scope.IsInRole);
        var unitOk = unitId is null || scope.CanSee(unitId.Value);
        var signedIn = scope.UserId is not null || scope.IsUnrestricted;
        if (signedIn && roleOk && unitOk) return;

        var reason = !signedIn ? "Bạn cần đăng nhập để thực hiện thao tác này."
            : !roleOk ? "Bạn không có vai trò được phép thực hiện thao tác này."
            : "Đơn vị này nằm ngoài phạm vi quản lý của bạn.";
        await audit.RefusedAsync(action, reason, unitId, ct: ct);
        throw new AccessDeniedException(reason);
    }
}
