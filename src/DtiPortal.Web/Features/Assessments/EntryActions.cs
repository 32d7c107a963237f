using DtiPortal.Application.Assessments;

namespace DtiPortal.Web.Features.Assessments;

/// <summary>
/// What the entry page does for its pieces (fields, criteria, evidence), cascaded once so the pieces stay free of
/// data access and of long parameter lists.
/// </summary>
public sealed class EntryActions
{
    public required int AssessmentId { get; init; }
    public required Action<FieldState, string> Typed { get; init; }
    public required Func<FieldState, Task> Leave { get; init; }
    public required Func<(FieldState Field, string Value), Task> Choose { get; init; }
    public required Func<(FieldState Field, bool KeepMine), Task> Resolve { get; init; }
    public required Func<string, string?, Task> Assign { get; init; }
    public required Func<string, Task> Uploaded { get; init; }
    public required Func<EvidenceItem, Task> Delete { get; init; }
    public required Func<string, EvidenceLinkForm, Task<string?>> AddLink { get; init; }
    public string? AntiforgeryToken { get; set; }
    /// <summary>Departments offered when assigning a criterion (the names already used in this unit).</summary>
    public IReadOnlyList<string> Departments { get; set; } = [];
    /// <summary>The general-information field behind an input that reuses it, by the item's code.</summary>
    public required Func<string, FieldState?> General { get; init; }
}
