using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// Submits a unit's assessment (seed 002 §II.2: self-assess, then submit to the level above). Errors of
/// <see cref="CheckCompleteness"/> block it, warnings do not. Idempotent: the page sends one key per click-intent, the
/// key is stored (unique), and the row version (xmin) makes a concurrent second submit fail and read back "already
/// submitted" — so a double click, a retry or a second tab make exactly one submission. Afterwards everything is read-only.
/// </summary>
public sealed class SubmitAssessment(
    IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, AccessGuard guard, CheckCompleteness completeness, TimeProvider clock,
    Notifications.WorkflowNotifier notifier)
{
    public const string Action = "Nộp bản đánh giá";
    private const string AlreadyMessage = "Bản đánh giá đã được nộp trước đó.";

    public async Task<SubmitResult> HandleAsync(int assessmentId, Guid idempotencyKey, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: true, ct);
        await guard.DemandAsync(Action, assessment.UnitId, [Roles.CommuneOfficer], ct);
        if (!assessment.AwaitingEntry)
            return Already(assessment, idempotencyKey);

        var all = set.Criteria.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var issues = await completeness.ComputeAsync(db, assessment, round, set, all, includeGeneral: true, ct);
        if (issues.Any(i => i.IsError)) return new SubmitResult(false, false, issues);

        var from = assessment.Status;
        var now = clock.GetUtcNow();
        try
        {
            var deadline = await AssessmentDeadlines.DecideAsync(db, assessment, round, clock, ct);
            assessment.Submit(now, idempotencyKey, round.IsOpen, access.Scope.UserName, access.WorkflowRoles, round.HasDistrictTier, deadline);
        }
        catch (DomainException ex)
        {
            return new SubmitResult(false, false, [new CompletenessIssue("", ex.Message, true), .. issues]);
        }
        // The history step keeps the values as submitted: the reviewer's "what changed since the last review" compares them.
        var values = await db.AssessmentValues.AsNoTracking().Where(v => v.AssessmentId == assessmentId).Select(v => new { v.Address, v.ValueJson }).ToListAsync(ct);
        var action = Assessment.SubmitAction(from);
        var actor = await db.Users.AsNoTracking().Where(u => u.Id == access.Scope.UserId).Select(u => u.FullName).SingleOrDefaultAsync(ct);
        var isSystem = access.Scope.IsUnrestricted && access.Scope.UserId is null;
        actor = !string.IsNullOrWhiteSpace(actor) ? actor : isSystem ? Reviews.ReviewAccess.SystemName : access.Scope.UserName ?? Reviews.ReviewAccess.SystemName;
        db.WorkflowSteps.Add(new Reviews.WorkflowStep(assessment.Id, assessment.UnitId, action.ToString(), from, assessment.Status, null, null,
            assessment.ReviewCycle, now, access.Scope.UserId, actor, Reviews.ReviewQueries.ValuesSnapshot(values.Select(v => (v.Address, v.ValueJson)))));
        var unitName = await db.Units.AsNoTracking().Where(u => u.Id == assessment.UnitId).Select(u => u.Name).SingleAsync(ct);
        await notifier.AddAsync(db, new Notifications.WorkflowNotice(Notifications.NotificationKind.Submitted, assessment.Id, assessment.UnitId, unitName,
            round.Id, round.Name, round.HasDistrictTier, actor), ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A concurrent submit won (or changed the row): read what happened.
            await using var fresh = await dbFactory.CreateDbContextAsync(ct);
            var latest = await fresh.Assessments.AsNoTracking().SingleAsync(a => a.Id == assessmentId, ct);
            if (!latest.AwaitingEntry) return Already(latest, idempotencyKey);
            return new SubmitResult(false, false, [new CompletenessIssue("", "Bản đánh giá vừa được thay đổi; vui lòng thử nộp lại.", true)]);
        }
        return new SubmitResult(true, false, issues);
    }

    private static SubmitResult Already(Assessment a, Guid key) => a.SubmissionKey == key
        ? new SubmitResult(false, true, [])
        : new SubmitResult(false, true, [new CompletenessIssue("", a.Status == AssessmentStatus.Submitted ? AlreadyMessage : AssessmentRules.ReadOnlyMessage, false)]);
}
