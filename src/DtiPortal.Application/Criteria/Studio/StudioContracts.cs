using DtiPortal.Application.Criteria.Workbook;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Application.Criteria.Studio;

// The contracts of the criteria-set studio (issue 14). Expected refusals are results with a Vietnamese message;
// AccessDeniedException (from AccessGuard) is for a user who may not use the studio at all.

/// <summary>A draft in the list.</summary>
public sealed record DraftSummary(
    int Id, string SetId, int Version, string Name, string Origin, int? OwnerUnitId, string OwnerName,
    DateTimeOffset UpdatedAt, string? UpdatedBy, int Revision);

/// <summary>One draft, with its text.</summary>
public sealed record DraftDetail(
    int Id, int? OwnerUnitId, string OwnerName, string Yaml, int Revision, string Origin, DateTimeOffset UpdatedAt,
    string? DecisionDocumentName);

/// <summary>What a command did: the draft it made or touched, or a Vietnamese message; <see cref="Problems"/> for a refused workbook.</summary>
public sealed record StudioResult(bool Succeeded, string Message, int? DraftId = null, int? Revision = null,
    IReadOnlyList<WorkbookProblem>? Problems = null)
{
    public IReadOnlyList<WorkbookProblem> Problems { get; init; } = Problems ?? [];
    public static StudioResult Fail(string message) => new(false, message);
}

/// <summary>The outcome of an autosave: saved at a revision, or refused (a newer revision is stored, or the draft is gone).</summary>
public sealed record DraftSaveResult(bool Saved, int Revision, string? Message, bool Conflict = false);

/// <summary>A stored version the admin may copy.</summary>
public sealed record CopySource(string SetId, int Version, string Name, string Level, bool IsBuiltIn, int? OwnerUnitId)
{
    public string Display => $"{Name} — {SetId} v{Version} ({CriteriaQueries.LevelName(Level)})";
}

/// <summary>
/// What publishing would change: the version it is compared with (the set's previous version, or for a first version the
/// version it was copied from: <see cref="PreviousSetId"/>) and the diff against it; null for a set made from scratch.
/// </summary>
public sealed record PublishPreview(CriteriaSet? Set, IReadOnlyList<CriteriaLoadError> Errors, int? PreviousVersion, CriteriaSetDiff? Diff,
    string? OwnerProblem, string? PreviousSetId = null);

/// <summary>The outcome of publishing a draft.</summary>
public sealed record PublishResult(bool Published, string Message, string? SetId = null, int? Version = null,
    IReadOnlyList<CriteriaLoadError>? Errors = null)
{
    public IReadOnlyList<CriteriaLoadError> Errors { get; init; } = Errors ?? [];
}
