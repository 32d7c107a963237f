using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Notifications;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Reviews;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// Publishes a round's approved results (seed 002 §II.2: "công bố, công khai kết quả"): every approved assessment in the
/// admin's scope becomes Published (each step recorded and audited) in one transaction, and the round remembers when.
/// The public results page (issue 7) shows only published assessments.
/// </summary>
public sealed class PublishRound(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, AssessmentAccess access, WorkflowNotifier notifier, TimeProvider clock,
    PublicResults.IPublicResultsCache? publicResults = null)
{
    public const string Action = "Công bố kết quả đợt đánh giá";

    public async Task<ReviewResult> HandleAsync(int roundId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await db.AssessmentRounds.SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !access.CanReadRound(round)) throw new AccessDeniedException("Không tìm thấy đợt đánh giá này, hoặc đợt nằm ngoài phạm vi của bạn.");
        if (!review.IsAdmin)
        {
            await review.Guard.DemandAsync(Action, round.ProvinceUnitId, [Roles.ProvincialAdmin], ct).ContinueWith(_ => { }, ct); // audited refusal
            return ReviewResult.Fail("Chỉ quản trị cấp tỉnh được công bố kết quả đợt đánh giá.");
        }
        await review.Guard.DemandAsync(Action, round.ProvinceUnitId, [Roles.ProvincialAdmin], ct);
        var approved = await db.Assessments.Where(a => a.RoundId == roundId && a.Status == AssessmentStatus.Approved).ToListAsync(ct);
        // Published results corrected afterwards (a reopened criterion re-approved) are published again: their newest version
        // becomes the public one. The public pages read the newest version approved before the assessment's publication time.
        var corrected = await db.Assessments
            .Where(a => a.RoundId == roundId && a.Status == AssessmentStatus.Published && a.ReopenedCriterion == null
                        && db.RecognisedResults.Any(r => r.AssessmentId == a.Id && r.ApprovedAt > a.PublishedAt))
            .ToListAsync(ct);
        if (approved.Count == 0 && corrected.Count == 0) return ReviewResult.Fail("Đợt đánh giá chưa có kết quả nào được phê duyệt để công bố.");
        var reopened = approved.Where(a => a.ReopenedCriterion is not null).ToList();
        var now = clock.GetUtcNow();
        var name = await review.FullNameAsync(db, ct);
        var unitIds = approved.Concat(corrected).Select(a => a.UnitId).ToList();
        var names = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var published = 0;
        foreach (var a in approved.Except(reopened))
        {
            var from = a.Apply(WorkflowAction.Publish, review.Roles, round.HasDistrictTier, null, now);
            db.WorkflowSteps.Add(new WorkflowStep(a.Id, a.UnitId, nameof(WorkflowAction.Publish), from, a.Status, null, null, a.ReviewCycle, now, review.Scope.UserId, name, null));
            await notifier.AddAsync(db, new WorkflowNotice(NotificationKind.Published, a.Id, a.UnitId, names[a.UnitId], round.Id, round.Name, round.HasDistrictTier, name), ct);
            published++;
        }
        foreach (var a in corrected)
        {
            a.Republish(now);
            db.WorkflowSteps.Add(new WorkflowStep(a.Id, a.UnitId, ReviewActions.Republish, a.Status, a.Status, null, null, a.ReviewCycle, now, review.Scope.UserId, name, null));
            await notifier.AddAsync(db, new WorkflowNotice(NotificationKind.Published, a.Id, a.UnitId, names[a.UnitId], round.Id, round.Name, round.HasDistrictTier, name), ct);
            published++;
        }
        round.MarkPublished(now, name);
        try
        {
            await db.SaveChangesAsync(ct);
            foreach (var a in approved.Except(reopened))
                await ReviewAudit.StepAsync(db, review, clock, a, AssessmentWorkflow.ActionName(WorkflowAction.Publish), AssessmentStatus.Approved, a.Status, null, null, ct);
            foreach (var a in corrected)
                await ReviewAudit.StepAsync(db, review, clock, a, ReviewActions.RepublishName, a.Status, a.Status, "kết quả đã được phê duyệt lại sau lần công bố trước", null, ct);
            await tx.CommitAsync(ct);
            publicResults?.Invalidate(roundId); // the public pages (issue 7) show the publication at once
        }
        catch (DbUpdateConcurrencyException)
        {
            return ReviewResult.Conflicted("Có bản đánh giá vừa thay đổi trong lúc công bố; hãy thử lại.");
        }
        var note = reopened.Count > 0 ? $" {reopened.Count} bản đánh giá đang mở lại tiêu chí chưa được công bố." : "";
        return new ReviewResult(true, note.Length > 0 ? note.Trim() : null, false, published);
    }
}
