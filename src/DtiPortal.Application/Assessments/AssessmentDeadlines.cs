using DtiPortal.Application.Data;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Assessments;

/// <summary>The deadline of one assessment as a page shows it: the policy's answer, the unit's extension, the late mark.</summary>
public sealed record EntryDeadline(DeadlineDecision Decision, DateOnly RoundDeadline, DateOnly? Extension, string? ExtensionReason, bool AllowLate, int? LateDays);

/// <summary>
/// Asks <see cref="DeadlinePolicy"/> about one assessment today (Vietnam's calendar day): reads the unit's extension, if
/// any, and the round's rules. Every entry path (saving a value, evidence, the spreadsheet import, the target level, the
/// departments) and the submission go through here, so "after the deadline" means the same everywhere.
/// </summary>
public static class AssessmentDeadlines
{
    public static async Task<DeadlineDecision> DecideAsync(DtiDbContext db, Assessment assessment, AssessmentRound round, TimeProvider clock, CancellationToken ct) =>
        (await ReadAsync(db, assessment, round, clock, ct)).Decision;

    public static async Task<EntryDeadline> ReadAsync(DtiDbContext db, Assessment assessment, AssessmentRound round, TimeProvider clock, CancellationToken ct)
    {
        var extension = await db.DeadlineExtensions.AsNoTracking().Where(x => x.AssessmentId == assessment.Id)
            .Select(x => new { x.NewDeadline, x.Reason }).SingleOrDefaultAsync(ct);
        var decision = DeadlinePolicy.Decide(round.DeadlineFacts(assessment, extension?.NewDeadline), VietnamTime.Today(clock));
        return new EntryDeadline(decision, round.EntryDeadline, extension?.NewDeadline, extension?.Reason, round.AllowLateSubmission, assessment.LateDays);
    }
}
