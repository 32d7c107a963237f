using DtiPortal.Application.Data;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DtiPortal.Application.Criteria;

public enum CriteriaLoadStatus
{
    /// <summary>The file has errors; nothing was stored.</summary>
    Invalid,
    /// <summary>The same id+version with the same content is already stored; nothing changed.</summary>
    Unchanged,
    /// <summary>The same id+version is stored with different content: a published version is immutable.</summary>
    Refused,
    /// <summary>A new version was stored.</summary>
    Stored,
}

/// <summary>
/// What loading a file did. <see cref="Diff"/> is set for a stored version that has an earlier version
/// (<see cref="PreviousVersion"/>); <see cref="Errors"/> lists every problem of an invalid file with its path and line.
/// </summary>
public sealed record CriteriaLoadOutcome(
    CriteriaLoadStatus Status,
    string Message,
    string? SetId = null,
    int? Version = null,
    IReadOnlyList<CriteriaLoadError>? Errors = null,
    int? PreviousVersion = null,
    CriteriaSetDiff? Diff = null)
{
    public IReadOnlyList<CriteriaLoadError> Errors { get; init; } = Errors ?? [];
    public bool Succeeded => Status is CriteriaLoadStatus.Stored or CriteriaLoadStatus.Unchanged;
}

/// <summary>
/// Loads one version of a criteria set from its YAML text (issue 4): validate with the Domain loader, refuse
/// to change a published version, store a new one in one transaction, and say what it changes against the
/// version before it.
/// </summary>
public sealed class LoadCriteriaSet(IDbContextFactory<DtiDbContext> dbFactory, TimeProvider clock, CriteriaSetCache cache)
{
    public const string ImmutableMessage = "Phiên bản đã công bố không được sửa; hãy tăng version";

    public Task<CriteriaLoadOutcome> HandleAsync(string yaml, string? loadedBy, bool isBuiltIn = false, CancellationToken ct = default) =>
        LoadAsync(yaml, loadedBy, isBuiltIn, sameSetIsUnchanged: false, ownerUnitId: null, decisionDocumentKey: null, decisionDocumentName: null, ct);

    /// <summary>
    /// A set read from a criteria workbook (issue 14). A workbook holds no YAML comments, so its text never equals a stored
    /// version's: a version that says the same (same canonical YAML) counts as unchanged instead of refused. Anything else
    /// under a published id and version is still refused.
    /// </summary>
    public Task<CriteriaLoadOutcome> HandleFromWorkbookAsync(string yaml, string? loadedBy, CancellationToken ct = default) =>
        LoadAsync(yaml, loadedBy, isBuiltIn: false, sameSetIsUnchanged: true, ownerUnitId: null, decisionDocumentKey: null, decisionDocumentName: null, ct);

    /// <summary>The same path for the studio (issue 14): a version owned by a province, with the decision's PDF.</summary>
    public Task<CriteriaLoadOutcome> HandleAsync(string yaml, string? loadedBy, bool isBuiltIn, int? ownerUnitId,
        string? decisionDocumentKey, string? decisionDocumentName, CancellationToken ct = default) =>
        LoadAsync(yaml, loadedBy, isBuiltIn, sameSetIsUnchanged: false, ownerUnitId, decisionDocumentKey, decisionDocumentName, ct);

    private async Task<CriteriaLoadOutcome> LoadAsync(string yaml, string? loadedBy, bool isBuiltIn, bool sameSetIsUnchanged,
        int? ownerUnitId, string? decisionDocumentKey, string? decisionDocumentName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var parsed = CriteriaSetLoader.Parse(yaml);
        if (parsed.Set is not { } set)
            return new CriteriaLoadOutcome(CriteriaLoadStatus.Invalid,
                $"Tệp bộ chỉ số có {parsed.Errors.Count} lỗi; không nạp gì.", Errors: parsed.Errors);

        var sha = CriteriaSetVersion.HashOf(yaml);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await ExistingAsync(db, set, ct);
        if (existing is not null) return Compare(set, existing, sha, sameSetIsUnchanged);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var previous = await db.CriteriaSetVersions.AsNoTracking()
            .Where(v => v.SetId == set.Id && v.Version < set.Version)
            .OrderByDescending(v => v.Version)
            .Select(v => new { v.Version, v.Yaml, v.Sha256 })
            .FirstOrDefaultAsync(ct);
        db.CriteriaSetVersions.Add(CriteriaSetVersion.Publish(set, yaml, isBuiltIn, clock.GetUtcNow(), loadedBy,
            ownerUnitId, decisionDocumentKey, decisionDocumentName));
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Someone stored the same id+version between our check and our insert: answer as if we had seen it.
            await tx.RollbackAsync(ct);
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            return Compare(set, (await ExistingAsync(again, set, ct))!, sha, sameSetIsUnchanged);
        }
        cache.Add(sha, set);

        if (previous is null)
            return new CriteriaLoadOutcome(CriteriaLoadStatus.Stored,
                $"Đã nạp bộ chỉ số {set.Id} phiên bản {set.Version} (phiên bản đầu tiên).", set.Id, set.Version);
        var before = cache.GetOrParse(previous.Sha256, previous.Yaml);
        var diff = CriteriaSetDiff.Compare(before, set);
        return new CriteriaLoadOutcome(CriteriaLoadStatus.Stored,
            $"Đã nạp bộ chỉ số {set.Id} phiên bản {set.Version}; so với phiên bản {previous.Version}: " +
            $"thêm {diff.Added.Count}, bỏ {diff.Removed.Count}, thay đổi {diff.Changed.Count}.",
            set.Id, set.Version, PreviousVersion: previous.Version, Diff: diff);
    }

    private static Task<ExistingVersion?> ExistingAsync(DtiDbContext db, CriteriaSet set, CancellationToken ct) =>
        db.CriteriaSetVersions.AsNoTracking()
            .Where(v => v.SetId == set.Id && v.Version == set.Version)
            .Select(v => new ExistingVersion(v.Sha256, v.Yaml))
            .SingleOrDefaultAsync(ct);

    // Even a comment counts for a YAML file: the stored text is what a past score was computed from.
    private static CriteriaLoadOutcome Compare(CriteriaSet set, ExistingVersion existing, string sha, bool sameSetIsUnchanged) =>
        existing.Sha256 == sha || (sameSetIsUnchanged && SameSet(existing.Yaml, set))
            ? new CriteriaLoadOutcome(CriteriaLoadStatus.Unchanged,
                $"Bộ chỉ số {set.Id} phiên bản {set.Version} đã có, không thay đổi.", set.Id, set.Version)
            : new CriteriaLoadOutcome(CriteriaLoadStatus.Refused,
                $"Bộ chỉ số {set.Id} phiên bản {set.Version} đã được công bố với nội dung khác. {ImmutableMessage}.", set.Id, set.Version);

    private static bool SameSet(string storedYaml, CriteriaSet set) =>
        CriteriaSetLoader.Parse(storedYaml).Set is { } stored
        && CriteriaSetYamlWriter.Write(stored) == CriteriaSetYamlWriter.Write(set);

    private sealed record ExistingVersion(string Sha256, string Yaml);
}
