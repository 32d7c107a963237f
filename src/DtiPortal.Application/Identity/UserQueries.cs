using DtiPortal.Application.Data;
using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Identity;

public sealed record UserFilter(string? Text = null, int? UnitId = null, string? Role = null, int Page = 0, int PageSize = 25);

public sealed record UserListItem(
    string Id, string UserName, string FullName, string? Email, int UnitId, string UnitCode, string UnitName, string? Department,
    IReadOnlyList<string> Roles, bool IsDisabled, DateTimeOffset? LockedOutUntil, bool TwoFactorEnabled, DateTimeOffset CreatedAt);

public sealed record UserPage(IReadOnlyList<UserListItem> Items, int Total, int Page, int PageSize);

/// <summary>A unit an admin may put accounts in, for pickers.</summary>
public sealed record UnitOption(int Id, string Code, string Name, string SearchKey)
{
    public string Display => $"{Name} ({Code})";
}

/// <summary>One account as its detail page shows it, with what the current admin may do to it.</summary>
public sealed record UserDetails(UserListItem User, bool CanManage, string? WhyCannotManage, bool IsSelf, IReadOnlyList<string> GrantableRoles);

/// <summary>Read side of the user administration: accounts visible in the admin's scope.</summary>
public sealed class UserQueries(UserAdminPolicy policy, IDbContextFactory<DtiDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>
    /// Accounts in scope, filtered by unit (with the units below it), role and text. The text matches the full name or
    /// the user name without accents ("nguyen van a" finds "Nguyễn Văn A"); it is matched in memory after the unit and
    /// role filters, which is fine for the few thousand accounts of a province.
    /// </summary>
    public async Task<UserPage> ListAsync(UserFilter filter, CancellationToken ct = default)
    {
        await policy.DemandAdminAsync("Xem danh sách người dùng", filter.UnitId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = db.Users.AsNoTracking();
        if (!policy.Scope.IsUnrestricted)
        {
            var visible = policy.Scope.UnitIds.ToList();
            users = users.Where(u => visible.Contains(u.UnitId));
        }
        if (filter.UnitId is { } unitId)
        {
            var subtree = await SubtreeAsync(db, unitId, ct);
            users = users.Where(u => subtree.Contains(u.UnitId));
        }
        if (!string.IsNullOrWhiteSpace(filter.Role))
        {
            var role = filter.Role;
            users = users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == role)));
        }
        var candidates = await users.Select(u => new { u.Id, u.UserName, u.FullName }).ToListAsync(ct);
        var text = VietnameseText.Fold(filter.Text ?? "");
        var matched = candidates
            .Select(c => new { c.Id, c.UserName, Key = VietnameseText.Fold(c.FullName + " " + c.UserName) })
            .Where(c => text.Length == 0 || c.Key.Contains(text, StringComparison.Ordinal))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToList();
        var pageSize = Math.Clamp(filter.PageSize, 1, 200);
        var page = Math.Max(0, filter.Page);
        var ids = matched.Skip(page * pageSize).Take(pageSize).Select(c => c.Id).ToList();
        var items = await LoadAsync(db, ids, ct);
        return new UserPage(ids.Select(id => items[id]).ToList(), matched.Count, page, pageSize);
    }

    /// <summary>One account, or null when it does not exist. An account outside the admin's scope is refused (and audited).</summary>
    public async Task<UserDetails?> GetAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var unitId = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (int?)u.UnitId).SingleOrDefaultAsync(ct);
        await policy.DemandAdminAsync("Xem tài khoản người dùng", unitId, ct);
        if (unitId is null) return null;
        var user = (await LoadAsync(db, [userId], ct))[userId];
        var actor = await policy.ActorAsync(ct);
        var unit = new UserAdminUnit(user.UnitId, user.UnitCode, user.UnitName,
            await db.Units.Where(u => u.Id == user.UnitId).Select(u => u.ParentId).SingleAsync(ct));
        var why = policy.WhyCannotManage(actor, userId, user.Roles, unit);
        return new UserDetails(user, why is null, why, actor.UserId == userId, policy.GrantableRoles(actor, unit));
    }

    /// <summary>Units in scope that are still in force, for the unit pickers.</summary>
    public async Task<IReadOnlyList<UnitOption>> UnitOptionsAsync(CancellationToken ct = default)
    {
        await policy.DemandAdminAsync("Xem danh sách đơn vị để tạo người dùng", null, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var units = db.Units.AsNoTracking().Where(u => u.ValidTo == null);
        if (!policy.Scope.IsUnrestricted)
        {
            var visible = policy.Scope.UnitIds.ToList();
            units = units.Where(u => visible.Contains(u.Id));
        }
        return await units.OrderBy(u => u.Name).Select(u => new UnitOption(u.Id, u.Code, u.Name, u.SearchKey)).ToListAsync(ct);
    }

    /// <summary>The roles the current admin may grant to an account of the unit.</summary>
    public async Task<IReadOnlyList<string>> GrantableRolesAsync(int unitId, CancellationToken ct = default)
    {
        await policy.DemandAdminAsync("Xem vai trò được cấp", unitId, ct);
        var unit = await policy.FindUnitAsync(unitId, null, ct);
        return unit is null ? [] : policy.GrantableRoles(await policy.ActorAsync(ct), unit);
    }

    private async Task<Dictionary<string, UserListItem>> LoadAsync(DtiDbContext db, List<string> ids, CancellationToken ct)
    {
        var rows = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Join(db.Units, u => u.UnitId, n => n.Id, (u, n) => new
            {
                u.Id, u.UserName, u.FullName, u.Email, u.UnitId, n.Code, n.Name, u.Department, u.IsDisabled, u.LockoutEnd,
                u.TwoFactorEnabled, u.CreatedAt,
            })
            .ToListAsync(ct);
        var roles = (await db.UserRoles.AsNoTracking().Where(ur => ids.Contains(ur.UserId))
                .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => new { ur.UserId, r.Name })
                .ToListAsync(ct))
            .ToLookup(x => x.UserId, x => x.Name!);
        var now = clock.GetUtcNow();
        return rows.ToDictionary(r => r.Id, r => new UserListItem(
            r.Id, r.UserName ?? "", r.FullName, r.Email, r.UnitId, r.Code, r.Name, r.Department,
            roles[r.Id].OrderBy(x => Roles.All.ToList().IndexOf(x)).ToList(),
            r.IsDisabled, r.LockoutEnd > now ? r.LockoutEnd : null, r.TwoFactorEnabled, r.CreatedAt));
    }

    /// <summary>The unit and every unit below it (the tree is a few levels deep: one query per level).</summary>
    private static async Task<List<int>> SubtreeAsync(DtiDbContext db, int unitId, CancellationToken ct)
    {
        var all = new List<int> { unitId };
        var frontier = new List<int> { unitId };
        while (frontier.Count > 0)
        {
            var parents = frontier;
            frontier = await db.Units.AsNoTracking().Where(u => u.ParentId != null && parents.Contains(u.ParentId.Value)).Select(u => u.Id).ToListAsync(ct);
            frontier.RemoveAll(all.Contains);
            all.AddRange(frontier);
        }
        return all;
    }
}
