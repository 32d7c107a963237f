using DtiPortal.Application.Data;
using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Reviews;

/// <summary>Adds a comment to a criterion's thread (or the assessment's): reviewers, the council and the unit, once submitted.</summary>
public sealed class AddReviewComment(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, TimeProvider clock)
{
    public const string Action = "Trao đổi thẩm định";

    public Task<ReviewResult> HandleAsync(int assessmentId, string? criterionCode, string text, CancellationToken ct = default) =>
        Result.Refusals(() => HandleAsyncCore(assessmentId, criterionCode, text, ct), ReviewResult.Fail);

    private async Task<ReviewResult> HandleAsyncCore(int assessmentId, string? criterionCode, string text, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, _, set) = await review.LoadAsync(db, assessmentId, Action, track: false, ct);
        criterionCode = string.IsNullOrWhiteSpace(criterionCode) ? null : criterionCode.Trim();
        if (criterionCode is not null && set.Set.Find(criterionCode) is null)
            return ReviewResult.Fail($"Tiêu chí “{criterionCode}” không có trong bộ chỉ số của đợt này.");
        if (!review.CanComment(a))
            return ReviewResult.Fail(a.Status == AssessmentStatus.Draft
                ? "Trao đổi thẩm định mở sau khi đơn vị nộp bản đánh giá."
                : "Bạn không tham gia thẩm định bản đánh giá này.");
        try
        {
            db.ReviewComments.Add(new ReviewComment(a.Id, a.UnitId, criterionCode, text ?? "", a.ReviewCycle, clock.GetUtcNow(),
                review.Scope.UserId, await review.FullNameAsync(db, ct), review.RoleLabel));
        }
        catch (DomainException ex)
        {
            return ReviewResult.Fail(ex.Message);
        }
        await db.SaveChangesAsync(ct);
        return ReviewResult.Success();
    }
}
