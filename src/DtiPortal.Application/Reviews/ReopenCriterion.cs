using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Notifications;
using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// After approval the assessment is locked; the council can reopen ONE criterion of it (not the whole thing) with a reason.
/// While it is open only that criterion can be appraised again (by the council); the chair then re-approves it, which
/// records a new version of the recognised result against the approval's frozen cohort snapshot. Every step is audited.
/// </summary>
public sealed class ReopenCriterion(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, WorkflowNotifier notifier, TimeProvider clock)
{
    public const string Action = "Mở lại tiêu chí";

    public Task<ReviewResult> HandleAsync(int assessmentId, string criterionCode, string reason, CancellationToken ct = default) =>
        Result.Refusals(() => HandleAsyncCore(assessmentId, criterionCode, reason, ct), ReviewResult.Fail);

    private async Task<ReviewResult> HandleAsyncCore(int assessmentId, string criterionCode, string reason, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, round, set) = await review.LoadAsync(db, assessmentId, Action, track: true, ct);
        if (!review.IsCouncil) return ReviewResult.Fail("Chỉ Hội đồng thẩm định được mở lại tiêu chí đã phê duyệt.");
        criterionCode = (criterionCode ?? "").Trim();
        if (set.Set.Find(criterionCode) is not { IsGroup: false })
            return ReviewResult.Fail($"Tiêu chí “{criterionCode}” không có trong bộ chỉ số của đợt này.");
        if (reason is { Length: > TransitionAssessment.MaxReasonLength }) return ReviewResult.Fail($"Lý do dài quá {TransitionAssessment.MaxReasonLength} ký tự.");
        try
        {
            a.Reopen(criterionCode, reason);
        }
        catch (DomainException ex)
        {
            return ReviewResult.Fail(ex.Message);
        }
        var now = clock.GetUtcNow();
        var name = await review.FullNameAsync(db, ct);
        db.WorkflowSteps.Add(new WorkflowStep(a.Id, a.UnitId, ReviewActions.ReopenCriterion, a.Status, a.Status, reason.Trim(), criterionCode, a.ReviewCycle, now,
            review.Scope.UserId, name, null));
        var unitName = await db.Units.AsNoTracking().Where(u => u.Id == a.UnitId).Select(u => u.Name).SingleAsync(ct);
        await notifier.AddAsync(db, new WorkflowNotice(NotificationKind.Reopened, a.Id, a.UnitId, unitName, round.Id, round.Name, round.HasDistrictTier, name,
            reason.Trim(), criterionCode), ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await ReviewAudit.StepAsync(db, review, clock, a, Action, a.Status, a.Status, reason.Trim(), criterionCode, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ReviewResult.Conflicted(TransitionAssessment.ConflictMessage);
        }
        return ReviewResult.Success();
    }
}

/// <summary>The chair re-approves a reopened criterion: a new recognised result version (same frozen snapshot), new documents.</summary>
public sealed class ReapproveCriterion(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, ReviewScoring scoring, ReviewDocuments documents,
    TimeProvider clock, ILogger<ReapproveCriterion> log)
{
    public const string Action = "Phê duyệt lại tiêu chí";

    public Task<ReviewResult> HandleAsync(int assessmentId, CancellationToken ct = default) =>
        Result.Refusals(() => HandleAsyncCore(assessmentId, ct), ReviewResult.Fail);

    private async Task<ReviewResult> HandleAsyncCore(int assessmentId, CancellationToken ct)
    {
        int version;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var (a, round, set) = await review.LoadAsync(db, assessmentId, Action, track: true, ct);
            if (!review.IsChair) return ReviewResult.Fail("Chỉ Chủ tịch Hội đồng thẩm định được phê duyệt lại.");
            if (a.ReopenedCriterion is not { } criterion) return ReviewResult.Fail("Không có tiêu chí nào đang được mở lại.");
            var previous = await db.RecognisedResults.AsNoTracking().Where(r => r.AssessmentId == a.Id).OrderByDescending(r => r.Version).FirstAsync(ct);
            var snapshot = await db.ScoreSnapshots.AsNoTracking().SingleAsync(s => s.Id == previous.SnapshotId, ct);
            var cohort = await scoring.LoadAsync(round.Id, [a.Id], set, ct);
            var lower = await scoring.LowerLevelsAsync(a, round, set, ct);
            var computed = Recognition.Compute(set, cohort, a.Id, round.HasDistrictTier, Recognition.ReadCohort(snapshot.CohortJson, set), lower);
            var now = clock.GetUtcNow();
            var name = await review.FullNameAsync(db, ct);
            var reason = a.ReopenReason;
            version = previous.Version + 1;
            db.RecognisedResults.Add(new RecognisedResult(a.Id, a.UnitId, version, snapshot.Id, computed.Self.Total, computed.Appraised.Total,
                computed.Achieved.Total, computed.Self.Level, computed.Achieved.Level, Recognition.RowsJson(computed.Rows), previous.DocumentNumber, now,
                review.Scope.UserId, name, $"Phê duyệt lại tiêu chí {criterion}: {reason}", previous.MinutesNumber));
            a.Recognise(computed.Achieved.Total, computed.Achieved.Level);
            a.CloseReopening();
            db.WorkflowSteps.Add(new WorkflowStep(a.Id, a.UnitId, ReviewActions.ReapproveCriterion, a.Status, a.Status, reason, criterion, a.ReviewCycle, now,
                review.Scope.UserId, name, null));
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await db.SaveChangesAsync(ct);
                await ReviewAudit.StepAsync(db, review, clock, a, Action, a.Status, a.Status,
                    $"tổng điểm {Recognition.Number(previous.Total)} → {Recognition.Number(computed.Achieved.Total)}", criterion, ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                return ReviewResult.Conflicted(TransitionAssessment.ConflictMessage);
            }
        }
        try
        {
            await documents.GenerateAsync(assessmentId, version, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogError(ex, "Không tạo được văn bản của bản đánh giá {AssessmentId}", assessmentId);
        }
        return ReviewResult.Success(version);
    }
}
