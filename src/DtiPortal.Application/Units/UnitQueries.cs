using DtiPortal.Application.Data;
using DtiPortal.Domain;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Units;

public sealed record UnitNode(int Id, string Code, string Name, string KindName, string LevelName, int? ParentId,
    bool HasChildren, bool IsDemo, DateOnly? ValidFrom, DateOnly? ValidTo);

public sealed record UnitSearchHit(int Id, string Code, string Name, string KindName, string Path, bool IsDemo, DateOnly? ValidTo);

public sealed record UnitRef(int Id, string Code, string Name, string KindName, string? Relation);

public sealed record UnitDetails(
    int Id, string Code, string Name, string KindName, string LevelName, bool IsDemo,
    DateOnly? ValidFrom, DateOnly? ValidTo,
    IReadOnlyList<UnitRef> Ancestors, int ChildCount,
    IReadOnlyList<UnitRef> Predecessors, IReadOnlyList<UnitRef> Successors);

/// <summary>Read side of the unit tree: lazy children, accent-insensitive search, one unit's details.</summary>
public sealed class UnitQueries(IDbContextFactory<DtiDbContext> dbFactory)
{
    public async Task<IReadOnlyList<UnitNode>> GetChildrenAsync(int? parentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var levels = await db.UnitLevels.AsNoTracking().ToDictionaryAsync(l => l.Code, l => l.Name, ct);
        var rows = await db.Units.AsNoTracking()
            .Where(u => u.ParentId == parentId)
            .OrderBy(u => u.ValidTo != null).ThenBy(u => u.Name)
            .Select(u => new { u.Id, u.Code, u.Name, u.Kind, u.LevelCode, u.ParentId, u.IsDemo, u.ValidFrom, u.ValidTo,
                HasChildren = db.Units.Any(c => c.ParentId == u.Id) })
            .ToListAsync(ct);
        return rows.Select(u => new UnitNode(u.Id, u.Code, u.Name, u.Kind.DisplayName(), levels.GetValueOrDefault(u.LevelCode, u.LevelCode),
            u.ParentId, u.HasChildren, u.IsDemo, u.ValidFrom, u.ValidTo)).ToList();
    }

    /// <summary>Finds units whose name or code contains the text, ignoring accents ("lac dao" finds "Lạc Đạo").</summary>
    public async Task<IReadOnlyList<UnitSearchHit>> SearchAsync(string text, int limit = 50, CancellationToken ct = default)
    {
        var folded = VietnameseText.Fold(text ?? "");
        if (folded.Length == 0) return [];
        var pattern = "%" + folded.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hits = await db.Units.AsNoTracking()
            .Where(u => EF.Functions.Like(u.SearchKey, pattern, "\\"))
            .OrderBy(u => u.ValidTo != null).ThenBy(u => u.LevelCode == UnitLevel.Province ? 0 : u.LevelCode == UnitLevel.District ? 1 : 2).ThenBy(u => u.Name)
            .Take(limit)
            .Select(u => new { u.Id, u.Code, u.Name, u.Kind, u.ParentId, u.IsDemo, u.ValidTo })
            .ToListAsync(ct);
        var names = await AncestorNamesAsync(db, hits.Select(h => h.ParentId), ct);
        return hits.Select(h => new UnitSearchHit(h.Id, h.Code, h.Name, h.Kind.DisplayName(), PathOf(h.ParentId, names), h.IsDemo, h.ValidTo)).ToList();
    }

    public async Task<UnitDetails?> GetDetailsAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var unit = await db.Units.AsNoTracking().Include(u => u.Predecessors).SingleOrDefaultAsync(u => u.Id == id, ct);
        if (unit is null) return null;
        var levelName = await db.UnitLevels.Where(l => l.Code == unit.LevelCode).Select(l => l.Name).SingleAsync(ct);

        var ancestors = new List<UnitRef>();
        var parentId = unit.ParentId;
        while (parentId is not null && ancestors.Count < 10)
        {
            var p = await db.Units.AsNoTracking().Where(u => u.Id == parentId).Select(u => new { u.Id, u.Code, u.Name, u.Kind, u.ParentId }).SingleAsync(ct);
            ancestors.Insert(0, new UnitRef(p.Id, p.Code, p.Name, p.Kind.DisplayName(), null));
            parentId = p.ParentId;
        }

        var predIds = unit.Predecessors.Select(p => p.PredecessorId).ToList();
        var preds = await db.Units.AsNoTracking().Where(u => predIds.Contains(u.Id))
            .Select(u => new { u.Id, u.Code, u.Name, u.Kind }).ToListAsync(ct);
        var predecessors = unit.Predecessors
            .Join(preds, p => p.PredecessorId, u => u.Id, (p, u) => new UnitRef(u.Id, u.Code, u.Name, u.Kind.DisplayName(), RelationName(p.Kind)))
            .OrderBy(r => r.Name).ToList();

        var successors = await db.Units.AsNoTracking()
            .Where(u => u.Predecessors.Any(p => p.PredecessorId == id))
            .Select(u => new { u.Id, u.Code, u.Name, u.Kind, Rel = u.Predecessors.First(p => p.PredecessorId == id).Kind })
            .ToListAsync(ct);

        var childCount = await db.Units.CountAsync(u => u.ParentId == id, ct);
        return new UnitDetails(unit.Id, unit.Code, unit.Name, unit.Kind.DisplayName(), levelName, unit.IsDemo, unit.ValidFrom, unit.ValidTo,
            ancestors, childCount, predecessors,
            successors.Select(s => new UnitRef(s.Id, s.Code, s.Name, s.Kind.DisplayName(), RelationName(s.Rel))).OrderBy(s => s.Name).ToList());
    }

    private static string RelationName(PredecessorKind kind) => kind == PredecessorKind.Merged ? "Sáp nhập" : "Chia tách";

    private static async Task<Dictionary<int, (string Name, int? ParentId)>> AncestorNamesAsync(DtiDbContext db, IEnumerable<int?> parentIds, CancellationToken ct)
    {
        var result = new Dictionary<int, (string, int?)>();
        var pending = parentIds.Where(p => p is not null).Select(p => p!.Value).Distinct().ToList();
        for (var depth = 0; pending.Count > 0 && depth < 10; depth++)
        {
            var rows = await db.Units.AsNoTracking().Where(u => pending.Contains(u.Id)).Select(u => new { u.Id, u.Name, u.ParentId }).ToListAsync(ct);
            foreach (var r in rows) result[r.Id] = (r.Name, r.ParentId);
            pending = rows.Where(r => r.ParentId is not null && !result.ContainsKey(r.ParentId.Value)).Select(r => r.ParentId!.Value).Distinct().ToList();
        }
        return result;
    }

    private static string PathOf(int? parentId, Dictionary<int, (string Name, int? ParentId)> names)
    {
        var parts = new List<string>();
        while (parentId is not null && names.TryGetValue(parentId.Value, out var n) && parts.Count < 10)
        {
            parts.Insert(0, n.Name);
            parentId = n.ParentId;
        }
        return string.Join(" › ", parts);
    }
}
