using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Audit;

/// <summary>What the audit page asks for. Dates are inclusive days in Vietnam's time (UTC+7); null means no bound.</summary>
public sealed record AuditFilter(
    DateOnly? From = null, DateOnly? To = null, string? User = null, string? Action = null, string? EntityType = null, int? UnitId = null,
    int Page = 1, int PageSize = 50);

/// <summary>
/// One entry as the page shows it: <see cref="UserFullName"/> is the actor's họ tên (null when the account is gone or out of
/// the reader's scope: the stored login name stands); <see cref="EntityLabel"/> names an account the entry is about, so a
/// user id never has to be shown.
/// </summary>
public sealed record AuditListItem(
    long Id, DateTimeOffset At, string? UserName, string? Origin, string Action, string? EntityType, string? EntityId,
    int? UnitId, string? UnitName, string? Before, string? After, string? Detail, bool Success,
    string? UserFullName = null, string? EntityLabel = null)
{
    /// <summary>"Nguyễn Văn A (nguyenvana)", the login name alone, or "hệ thống".</summary>
    public string Who => UserFullName is { Length: > 0 } full
        ? (UserName is { Length: > 0 } login && login != full ? $"{full} ({login})" : full)
        : UserName is { Length: > 0 } name && name != "system" ? name : "hệ thống";

    public string ActionName => AuditNames.Action(Action);

    /// <summary>"Bản đánh giá #12", "Tài khoản Nguyễn Văn A (nguyenvana)"; raw GUIDs are left out.</summary>
    public string? What
    {
        get
        {
            var kind = AuditNames.Entity(EntityType);
            if (kind is null) return null;
            if (EntityLabel is { Length: > 0 } label) return $"{kind} {label}";
            // Numeric ids ("#12") help find the row; long ones (GUIDs, composite keys) mean nothing to a reader.
            return EntityId is { Length: > 0 and <= 12 } id && !Guid.TryParse(id, out _) ? $"{kind} #{id}" : kind;
        }
    }
}

public sealed record AuditPage(IReadOnlyList<AuditListItem> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;
}

/// <summary>
/// The audit trail for administrators, newest first. The entries visible are those about units in the reader's
/// scope (the named query filter, and row-level security underneath); entries about no unit only for unrestricted readers.
/// </summary>
public sealed class AuditQueries(IDbContextFactory<DtiDbContext> dbFactory, AccessGuard guard)
{
    public const int MaxPageSize = 200;
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public async Task<AuditPage> SearchAsync(AuditFilter filter, CancellationToken ct = default)
    {
        await guard.DemandAsync("Xem nhật ký hệ thống", filter.UnitId, Roles.Admins, ct);
        var page = Math.Max(1, filter.Page);
        var size = Math.Clamp(filter.PageSize, 1, MaxPageSize);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AuditLog.AsNoTracking();
        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), VietnamOffset).ToUniversalTime();
            q = q.Where(e => e.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), VietnamOffset).ToUniversalTime();
            q = q.Where(e => e.At < end);
        }
        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            // A login name, an id, or part of a họ tên ("Tuấn" finds "Lê Minh Tuấn").
            var user = filter.User.Trim();
            var pattern = "%" + user.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            q = q.Where(e => e.UserId == user || e.UserName == user
                             || db.Users.Any(u => u.Id == e.UserId && EF.Functions.ILike(u.FullName, pattern)));
        }
        if (!string.IsNullOrWhiteSpace(filter.Action)) q = q.Where(e => e.Action == filter.Action);
        if (!string.IsNullOrWhiteSpace(filter.EntityType)) q = q.Where(e => e.EntityType == filter.EntityType);
        if (filter.UnitId is { } unitId) q = q.Where(e => e.UnitId == unitId);

        var total = await q.CountAsync(ct);
        var items = await q
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((page - 1) * size).Take(size)
            .Select(e => new AuditListItem(e.Id, e.At, e.UserName, e.Origin, e.Action, e.EntityType, e.EntityId, e.UnitId,
                db.Units.Where(u => u.Id == e.UnitId).Select(u => u.Name).FirstOrDefault(),
                e.Before, e.After, e.Detail, e.Success,
                db.Users.Where(u => u.Id == e.UserId).Select(u => u.FullName).FirstOrDefault(),
                e.EntityType == "AppUser"
                    ? db.Users.Where(u => u.Id == e.EntityId).Select(u => u.FullName + " (" + u.UserName + ")").FirstOrDefault()
                    : null))
            .ToListAsync(ct);
        return new AuditPage(items, total, page, size);
    }

    /// <summary>The distinct actions and entity types recorded, for the page's drop-downs.</summary>
    public async Task<(IReadOnlyList<string> Actions, IReadOnlyList<string> EntityTypes)> ChoicesAsync(CancellationToken ct = default)
    {
        await guard.DemandAsync("Xem nhật ký hệ thống", null, Roles.Admins, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var actions = await db.AuditLog.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        var types = await db.AuditLog.Where(e => e.EntityType != null).Select(e => e.EntityType!).Distinct().OrderBy(t => t).ToListAsync(ct);
        return (actions, types);
    }
}
