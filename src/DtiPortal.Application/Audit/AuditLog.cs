using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Audit;

/// <summary>
/// Writes events that are not entity changes (sign-in, refusals, exports) to audit_log, in their own short
/// transaction. Entity changes are written by <see cref="AuditSaveChangesInterceptor"/> in the change's transaction.
/// </summary>
public sealed class AuditLog(IDbContextFactory<DtiDbContext> dbFactory, IUnitScope scope, TimeProvider clock) : IAuditLog
{
    public async Task WriteAsync(AuditEvent e, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(e.Action);
        var row = new AuditRow(clock.GetUtcNow(), e.UserId ?? scope.UserId, e.UserName ?? scope.UserName, e.Origin ?? scope.Origin,
            e.Action, e.EntityType, e.EntityId, e.UnitId ?? scope.HomeUnitId, e.Before, e.After, e.Detail, e.Success);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await AuditSql.InsertAsync(db, [row], async: true, ct);
    }
}
