using DtiPortal.Application.Reviews;

namespace DtiPortal.Web.Features.Reviews;

/// <summary>
/// What the unit's entry page shows of the review next to one criterion: whether it was returned and the reviewers'
/// reasons, the comment thread (with a reply box), and the recognised points once approved. Built by the entry page from
/// <see cref="UnitReviewInfo"/>; <see cref="Send"/> posts a reply (null when sent, else the message).
/// </summary>
public sealed record UnitCriterionReview(
    bool Returned,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<CommentView> Comments,
    ResultRow? Result,
    TextDraft Draft,
    Func<string, Task<string?>> Send);
