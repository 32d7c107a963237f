using DtiPortal.Application.Data;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Criteria;

/// <summary>One stored version, without its text.</summary>
public sealed record CriteriaVersionInfo(
    string SetId, int Version, string Name, string Level, string DecisionNumber, DateOnly? DecisionDate, string DecisionIssuer,
    bool IsBuiltIn, DateTimeOffset LoadedAt, string? LoadedBy, string Sha256, int? OwnerUnitId = null, string? DecisionDocumentName = null)
{
    public string LevelName => CriteriaQueries.LevelName(Level);
}

/// <summary>A set with its versions, newest first; name and level are the newest version's.</summary>
public sealed record CriteriaSetSummary(string SetId, string Name, string Level, IReadOnlyList<CriteriaVersionInfo> Versions)
{
    public CriteriaVersionInfo Latest => Versions[0];
    public string LevelName => CriteriaQueries.LevelName(Level);
}

/// <summary>One version, parsed, with the version before it (null for the first) and every version of the set.</summary>
public sealed record CriteriaVersionView(CriteriaVersionInfo Info, CriteriaSet Set, int? PreviousVersion, IReadOnlyList<int> AllVersions);

/// <summary>A stored version as a choice in a form (the round form picks a version by its database id).</summary>
public sealed record CriteriaVersionOption(int Id, string SetId, int Version, string Name, string Level)
{
    public string Display => $"{Name} — {SetId} v{Version} ({CriteriaQueries.LevelName(Level)})";
}

/// <summary>Read side of the criteria libraries: the list of sets, one version's tree, the differences between two versions.</summary>
public sealed class CriteriaQueries(IDbContextFactory<DtiDbContext> dbFactory, CriteriaSetCache cache, SetOwnership ownership)
{
    public static string LevelName(string level) => level switch
    {
        "commune" => "Cấp xã",
        "district" => "Cấp huyện",
        "province" => "Cấp tỉnh",
        _ => level,
    };

    public async Task<IReadOnlyList<CriteriaSetSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Infos(Usable(db)).ToListAsync(ct);
        return rows
            .GroupBy(r => r.SetId, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(v => v.Version).ToList())
            .Select(v => new CriteriaSetSummary(v[0].SetId, v[0].Name, v[0].Level, v))
            .OrderBy(s => s.Level switch { "province" => 0, "district" => 1, "commune" => 2, _ => 3 })
            .ThenBy(s => s.SetId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every stored version as a form choice, newest version of each set first.</summary>
    public async Task<IReadOnlyList<CriteriaVersionOption>> VersionOptionsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Usable(db)
            .OrderBy(v => v.SetId).ThenByDescending(v => v.Version)
            .Select(v => new CriteriaVersionOption(v.Id, v.SetId, v.Version, v.Name, v.Level))
            .ToListAsync(ct);
    }

    /// <summary>The stored YAML text of a version (the newest when <paramref name="version"/> is null), for export; null when absent.</summary>
    public async Task<(int Version, string Yaml)?> YamlAsync(string setId, int? version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.CriteriaSetVersions.AsNoTracking()
            .Where(v => v.SetId == setId && (version == null || v.Version == version))
            .OrderByDescending(v => v.Version)
            .Select(v => new { v.Version, v.Yaml })
            .FirstOrDefaultAsync(ct);
        return row is null ? null : (row.Version, row.Yaml);
    }

    /// <summary>The version parsed from its stored text (parsed once per content hash); null when it is not stored.</summary>
    public async Task<CriteriaVersionView?> GetVersionAsync(string setId, int version, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await Usable(db)
            .Where(v => v.SetId == setId && v.Version == version)
            .Select(v => new { v.Yaml, v.Sha256 })
            .SingleOrDefaultAsync(ct);
        if (row is null) return null;
        var info = await Infos(db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == setId && v.Version == version)).SingleAsync(ct);
        var versions = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == setId)
            .OrderBy(v => v.Version).Select(v => v.Version).ToListAsync(ct);
        var previous = versions.Where(v => v < version).Select(v => (int?)v).LastOrDefault();
        return new CriteriaVersionView(info, cache.GetOrParse(row.Sha256, row.Yaml), previous, versions);
    }

    /// <summary>What <paramref name="toVersion"/> changes against <paramref name="fromVersion"/>; null when either is not stored.</summary>
    public async Task<CriteriaSetDiff?> DiffAsync(string setId, int fromVersion, int toVersion, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await Usable(db)
            .Where(v => v.SetId == setId && (v.Version == fromVersion || v.Version == toVersion))
            .Select(v => new { v.Version, v.Yaml, v.Sha256 })
            .ToListAsync(ct);
        var from = rows.FirstOrDefault(r => r.Version == fromVersion);
        var to = rows.FirstOrDefault(r => r.Version == toVersion);
        if (from is null || to is null) return null;
        return CriteriaSetDiff.Compare(cache.GetOrParse(from.Sha256, from.Yaml), cache.GetOrParse(to.Sha256, to.Yaml));
    }

    /// <summary>The versions the user may list and use: national sets and their own province's (issue 14, <see cref="SetOwnership"/>).</summary>
    private IQueryable<CriteriaSetVersion> Usable(DtiDbContext db)
    {
        var query = db.CriteriaSetVersions.AsNoTracking();
        if (db.Scope.IsUnrestricted) return query;
        var province = ownership.UserProvince;
        var visible = db.Scope.UnitIds.ToArray();
        return query.Where(v => v.OwnerUnitId == null || v.OwnerUnitId == province || visible.Contains(v.OwnerUnitId.Value));
    }

    private static IQueryable<CriteriaVersionInfo> Infos(IQueryable<CriteriaSetVersion> query) =>
        query.Select(v => new CriteriaVersionInfo(v.SetId, v.Version, v.Name, v.Level, v.DecisionNumber, v.DecisionDate, v.DecisionIssuer,
            v.IsBuiltIn, v.LoadedAt, v.LoadedBy, v.Sha256, v.OwnerUnitId, v.DecisionDocumentName));
}
