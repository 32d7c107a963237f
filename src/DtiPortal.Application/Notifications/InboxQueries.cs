using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Notifications;

public sealed record InboxItem(long Id, NotificationKind Kind, string Title, string Body, string? Link, int? AssessmentId, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    public bool IsRead => ReadAt is not null;
}

public sealed record NotificationPage(IReadOnlyList<InboxItem> Items, int Total, int Unread, int Page, int PageSize)
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;
}

/// <summary>
/// The signed-in user's inbox. Notifications belong to a person, not a unit, so the rule here is the user's id
/// (<see cref="IUnitScope.UserId"/>) in every query; someone without one (anonymous, the system) has an empty inbox, and
/// an id of another person's notification is treated as unknown. Scoped: one instance per circuit, so a page that marks
/// something read tells the header's bell through <see cref="Changed"/>.
/// </summary>
public sealed class InboxQueries(IDbContextFactory<DtiDbContext> dbFactory, IUnitScope scope, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    /// <summary>Raised after this instance marks notifications read.</summary>
    public event Action? Changed;

    public async Task<NotificationPage> ListAsync(int page = 1, int pageSize = 20, bool unreadOnly = false, CancellationToken ct = default)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        if (scope.UserId is not { } userId) return new NotificationPage([], 0, 0, page, pageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        var unread = await mine.CountAsync(n => n.ReadAt == null, ct);
        var q = unreadOnly ? mine.Where(n => n.ReadAt == null) : mine;
        var total = unreadOnly ? unread : await q.CountAsync(ct);
        var items = await q.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(n => new InboxItem(n.Id, n.Kind, n.Title, n.Body, n.Link, n.AssessmentId, n.CreatedAt, n.ReadAt))
            .ToListAsync(ct);
        return new NotificationPage(items, total, unread, page, pageSize);
    }

    public async Task<int> UnreadCountAsync(CancellationToken ct = default)
    {
        if (scope.UserId is not { } userId) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
    }

    /// <summary>Marks one of the user's notifications read; false when the id is not theirs (or does not exist).</summary>
    public async Task<bool> MarkReadAsync(long id, CancellationToken ct = default)
    {
        if (scope.UserId is not { } userId) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        // A single UPDATE that names the owner: another user's id changes nothing. Reading is not a decision, so it is not
        // written to the audit trail (the change tracker, which the audit interceptor watches, is bypassed).
        var changed = await db.Notifications.Where(n => n.Id == id && n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (changed > 0)
        {
            Changed?.Invoke();
            return true;
        }
        return await db.Notifications.AnyAsync(n => n.Id == id && n.UserId == userId, ct);
    }

    /// <summary>Marks every unread notification of the user read; returns how many.</summary>
    public async Task<int> MarkAllReadAsync(CancellationToken ct = default)
    {
        if (scope.UserId is not { } userId) return 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var changed = await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        if (changed > 0) Changed?.Invoke();
        return changed;
    }
}
