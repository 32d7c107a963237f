using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using DtiPortal.Web.Features.Reviews;

namespace DtiPortal.Web.Features.Assessments;

/// <summary>
/// Everything the entry page tells one <see cref="CriterionEntry"/>, as one parameter. Each component parameter is a
/// render-tree frame in the page's own buffer, kept as long as the page is open: eleven per criterion of the open section
/// pushed the page past 256 frames into a 512-frame buffer (issue 17, ADR-014).
/// </summary>
/// <param name="Fields">The criterion's value addresses with their field (null for an input taken from general information).</param>
/// <param name="Review">The review of this criterion once the assessment was submitted (issue 6); null for a draft.</param>
/// <param name="FollowUps">The reviewers' "cần theo dõi" marks on this criterion's figures (issue 15), answered here.</param>
public sealed record CriterionSlot(
    CriterionNode Node,
    CriteriaSet Set,
    IReadOnlyList<(ValueAddress Address, FieldState? Field)> Fields,
    NodeResult? Result,
    IReadOnlyList<EvidenceItem> Evidence,
    bool Editable,
    bool CanAssign,
    string? Assignment,
    string? LastEditedBy,
    UnitCriterionReview? Review,
    EntryFollowUps? FollowUps);
