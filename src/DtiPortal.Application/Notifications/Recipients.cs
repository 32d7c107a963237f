using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Notifications;

/// <summary>A person a notification goes to.</summary>
internal sealed record Recipient(string UserId, string FullName, string? Email, int UnitId);

/// <summary>A unit and one of its ancestors (or itself).</summary>
internal sealed class UnitAncestor
{
    public int UnitId { get; set; }
    public int AncestorId { get; set; }
}

/// <summary>
/// Who holds which role where. Users and roles are Identity's tables and units are reference data: none is unit-owned,
/// so any context reads them (the lead's transaction, or the system's in the jobs).
/// </summary>
internal static class Recipients
{
    public static readonly string[] UnitOfficers = [Roles.CommuneOfficer, Roles.DepartmentOfficer];
    public static readonly string[] CommuneOfficers = [Roles.CommuneOfficer];
    public static readonly string[] Reviewers = [Roles.DistrictReviewer];
    public static readonly string[] Council = [Roles.CouncilMember, Roles.CouncilChair, Roles.CouncilSecretary];

    /// <summary>Active users holding any of <paramref name="roles"/> whose own unit is one of <paramref name="unitIds"/>.</summary>
    public static async Task<List<Recipient>> InUnitsAsync(DtiDbContext db, IReadOnlyCollection<int> unitIds, IReadOnlyCollection<string> roles, CancellationToken ct)
    {
        if (unitIds.Count == 0 || roles.Count == 0) return [];
        var units = unitIds.Distinct().ToArray();
        var names = roles.ToArray();
        var roleIds = db.Roles.Where(r => names.Contains(r.Name!)).Select(r => r.Id);
        return await db.Users.AsNoTracking()
            .Where(u => !u.IsDisabled && units.Contains(u.UnitId) && db.UserRoles.Any(ur => ur.UserId == u.Id && roleIds.Contains(ur.RoleId)))
            .OrderBy(u => u.Id)
            .Select(u => new Recipient(u.Id, u.FullName, u.Email, u.UnitId))
            .ToListAsync(ct);
    }

    /// <summary>Every (unit, ancestor-or-self) pair of the given units, walking units.parent_id up to the root.</summary>
    public static async Task<List<UnitAncestor>> AncestorsAsync(DtiDbContext db, IReadOnlyCollection<int> unitIds, CancellationToken ct)
    {
        if (unitIds.Count == 0) return [];
        var ids = unitIds.Distinct().ToArray();
        return await db.Database.SqlQuery<UnitAncestor>($"""
            with recursive up(unit_id, ancestor_id, parent_id, depth) as (
                select id, id, parent_id, 0 from units where id = any({ids})
                union all
                select up.unit_id, u.id, u.parent_id, up.depth + 1 from up join units u on u.id = up.parent_id where up.depth < 20
            )
            select unit_id as "UnitId", ancestor_id as "AncestorId" from up
            """).ToListAsync(ct);
    }
}
