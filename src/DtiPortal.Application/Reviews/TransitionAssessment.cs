using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Notifications;
using DtiPortal.Application.Units;
using DtiPortal.Domain;
using DtiPortal.Domain.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// Moves an assessment along the review path (issue 6): take for review, return with reasons, forward, start the council's
/// appraisal, return from the council, approve, publish. The Domain's table decides what the roles, the state and the
/// round's tiers allow; scope comes from <see cref="ReviewAccess"/>. Each transition is one transaction: the new state,
/// its history step, the notifications and (through the audit interceptor) the audit entries — and, for an approval, the
/// recognised result with its frozen cohort snapshot and decision number. The row version (xmin) makes two reviewers
/// acting at once safe: one wins, the other is told. The PDFs of an approval are produced after the commit.
/// </summary>
public sealed class TransitionAssessment(
    IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, IAuditLog audit, ReviewScoring scoring, WorkflowNotifier notifier, ReviewDocuments documents,
    TimeProvider clock, ILogger<TransitionAssessment> log, DocumentNumbering numbering)
{
    public const string ConflictMessage = "Bản đánh giá vừa được người khác xử lý. Trang đã được tải lại; hãy xem trạng thái mới trước khi thao tác tiếp.";
    public const int MaxReasonLength = 4000;

    public Task<ReviewResult> HandleAsync(int assessmentId, WorkflowAction action, string? reason, uint expectedRowVersion, CancellationToken ct = default) =>
        Result.Refusals(() => HandleAsyncCore(assessmentId, action, reason, expectedRowVersion, ct), ReviewResult.Fail);

    private async Task<ReviewResult> HandleAsyncCore(int assessmentId, WorkflowAction action, string? reason, uint expectedRowVersion, CancellationToken ct)
    {
        if (action is WorkflowAction.Submit or WorkflowAction.Resubmit)
            return ReviewResult.Fail("Bản đánh giá được nộp từ trang nhập số liệu của đơn vị.");
        if (reason is { Length: > MaxReasonLength }) return ReviewResult.Fail($"Lý do dài quá {MaxReasonLength} ký tự.");
        var actionName = AssessmentWorkflow.ActionName(action);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, round, set) = await review.LoadAsync(db, assessmentId, actionName, track: true, ct);
        if (expectedRowVersion != 0 && a.RowVersion != expectedRowVersion) return ReviewResult.Conflicted(ConflictMessage);

        var now = clock.GetUtcNow();
        IReadOnlyList<string> returned = [];
        if (action is WorkflowAction.ReturnToUnit or WorkflowAction.ReturnFromCouncil or WorkflowAction.ForwardToCouncil or WorkflowAction.Approve)
        {
            var tier = action is WorkflowAction.ReturnToUnit or WorkflowAction.ForwardToCouncil ? ReviewTier.District : ReviewTier.Council;
            returned = await db.CriterionAppraisals.AsNoTracking()
                .Where(x => x.AssessmentId == a.Id && x.Tier == tier && x.Cycle == a.ReviewCycle && x.Verdict == AppraisalVerdict.NeedsFix)
                .Select(x => x.CriterionCode).OrderBy(x => x).ToListAsync(ct);
            if (returned.Count > 0 && action is WorkflowAction.ForwardToCouncil or WorkflowAction.Approve)
                return ReviewResult.Fail($"Còn tiêu chí đang yêu cầu đơn vị bổ sung ({string.Join(", ", returned)}): hãy trả lại đơn vị, hoặc đổi đánh giá các tiêu chí đó trước khi {(action == WorkflowAction.Approve ? "phê duyệt" : "chuyển Hội đồng")}.");
        }

        AssessmentStatus from;
        try
        {
            from = a.Apply(action, review.Roles, round.HasDistrictTier, reason, now, returned);
        }
        catch (DomainException ex)
        {
            await audit.WriteAsync(new AuditEvent("WorkflowRefused", nameof(Assessment), a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), a.UnitId,
                Detail: $"{actionName}: {ex.Message}", Success: false), ct);
            return ReviewResult.Fail(ex.Message);
        }

        db.WorkflowSteps.Add(new WorkflowStep(a.Id, a.UnitId, action.ToString(), from, a.Status, Clean(reason),
            null, a.ReviewCycle, now, review.Scope.UserId, await review.FullNameAsync(db, ct), null));

        RecognisedResult? result = null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            if (action == WorkflowAction.Approve)
                result = await RecogniseAsync(db, a, round, set, now, ct);

            var unitName = await db.Units.AsNoTracking().Where(u => u.Id == a.UnitId).Select(u => u.Name).SingleAsync(ct);
            if (KindOf(action) is { } kind)
                await notifier.AddAsync(db, new WorkflowNotice(kind, a.Id, a.UnitId, unitName, round.Id, round.Name, round.HasDistrictTier, await review.FullNameAsync(db, ct),
                    Clean(reason), kind == NotificationKind.Returned && returned.Count > 0 ? string.Join(", ", returned) : null), ct);
            await db.SaveChangesAsync(ct);
            await ReviewAudit.StepAsync(db, review, clock, a, actionName, from, a.Status, Clean(reason), null, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ReviewResult.Conflicted(ConflictMessage);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.LockNotAvailable)
        {
            return ReviewResult.Conflicted(ConflictMessage);
        }

        if (result is not null)
        {
            // The documents come after the commit: a slow or failing Chromium never holds or undoes an approval.
            try
            {
                await documents.GenerateAsync(a.Id, result.Version, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogError(ex, "Không tạo được văn bản của bản đánh giá {AssessmentId}", a.Id);
            }
        }
        return ReviewResult.Success();
    }

    private static NotificationKind? KindOf(WorkflowAction action) => action switch
    {
        WorkflowAction.ReturnToUnit or WorkflowAction.ReturnFromCouncil => NotificationKind.Returned,
        WorkflowAction.ForwardToCouncil => NotificationKind.Forwarded,
        WorkflowAction.Approve => NotificationKind.Approved,
        WorkflowAction.Publish => NotificationKind.Published,
        _ => null,
    };

    internal static string? Clean(string? reason) => string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();

    /// <summary>Approval: freeze the cohort, compute the three scores, number the decision, store the result version 1.</summary>
    private async Task<RecognisedResult> RecogniseAsync(DtiDbContext db, Assessment a, AssessmentRound round, EntrySet set, DateTimeOffset now, CancellationToken ct)
    {
        var cohort = await scoring.LoadAsync(round.Id, [a.Id], set, ct);
        var lower = await scoring.LowerLevelsAsync(a, round, set, ct);
        var computed = Recognition.Compute(set, cohort, a.Id, round.HasDistrictTier, frozenOthers: null, lower);
        var others = ReviewScoring.ComparesPeers(set) ? Recognition.WriteCohort(Recognition.Others(set, cohort, a.Id, round.HasDistrictTier), set) : "{}";
        var snapshot = new ScoreSnapshot(Guid.NewGuid(), round.Id, now, cohort.Ids.Count, others);
        db.ScoreSnapshots.Add(snapshot);
        var number = await NextNumberAsync(db, round.Id, ct);
        var minutes = numbering.SharedSequence ? numbering.Minutes(number, round.Year) : numbering.Minutes(await NextMinutesNumberAsync(db, round.Id, ct), round.Year);
        var version = 1 + (await db.RecognisedResults.Where(r => r.AssessmentId == a.Id).MaxAsync(r => (int?)r.Version, ct) ?? 0);
        var result = new RecognisedResult(a.Id, a.UnitId, version, snapshot.Id, computed.Self.Total, computed.Appraised.Total, computed.Achieved.Total,
            computed.Self.Level, computed.Achieved.Level, Recognition.RowsJson(computed.Rows), numbering.Decision(number, round.Year), now,
            review.Scope.UserId, await review.FullNameAsync(db, ct), null, minutes);
        db.RecognisedResults.Add(result);
        a.Recognise(computed.Achieved.Total, computed.Achieved.Level);
        return result;
    }

    /// <summary>The next decision number of the round (row-locked: concurrent approvals get different numbers).</summary>
    internal static async Task<int> NextNumberAsync(DtiDbContext db, int roundId, CancellationToken ct) =>
        await db.Database.SqlQuery<int>(
            $"update assessment_rounds set last_document_number = last_document_number + 1 where id = {roundId} returning last_document_number as \"Value\"")
            .AsAsyncEnumerable().FirstAsync(ct);

    /// <summary>The minutes' own sequence in the round (separate numbering, <see cref="DocumentNumbering"/>).</summary>
    internal static async Task<int> NextMinutesNumberAsync(DtiDbContext db, int roundId, CancellationToken ct) =>
        await db.Database.SqlQuery<int>(
            $"insert into document_counters (round_id, kind, last_number) values ({roundId}, {DocumentCounter.MinutesKind}, 1) on conflict (round_id, kind) do update set last_number = document_counters.last_number + 1 returning last_number as \"Value\"")
            .AsAsyncEnumerable().FirstAsync(ct);

    /// <summary>A decision number in the default format (demo data).</summary>
    internal static string DocumentNumber(int number, int year) => DocumentNumbering.Default.Decision(number, year);
}
