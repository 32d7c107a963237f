using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// The live score of one assessment, recomputed from the stored values and the round's immutable set version (never stored
/// as the only truth). Peer-relative criteria compare the unit with the round's cohort: the other units' values are read
/// with <see cref="FixedUnitScope.System"/> in a dedicated DI scope and only this unit's result leaves this class.
/// <para>
/// Issue 17: every save of every open entry page ends here, so the cohort is not read and scored per call any more. The
/// round's scores live once per instance in <see cref="RoundScoreCache"/> (shared by every circuit of the round): a call
/// reads only the assessments whose values changed since the last call of anyone, and scores the round again in memory
/// only then. A set without peer-relative criteria scores the unit alone, as before.
/// </para>
/// </summary>
public sealed class ScoreAssessment(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, IServiceScopeFactory scopes,
    Reporting.RoundScoreCache roundScores)
{
    public const string Action = "Xem điểm bản đánh giá";

    public async Task<UnitResult> HandleAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct); // the scope written once per call, not per query
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        return await ScoreAsync(db, assessment, round, set, ct);
    }

    internal async Task<UnitResult> ScoreAsync(DtiDbContext db, Assessment assessment, AssessmentRound round, EntrySet set, CancellationToken ct)
    {
        var unit = assessment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!set.Criteria.Any(c => c.Method?.Kind == MethodKind.PeerRelative))
        {
            var own = await StoredValues.LoadAsync(db, [assessment.Id], ct);
            return ScoringEngine.ScoreOne(set.Set, StoredValues.ToUnitValues(unit, own, set));
        }

        var scores = await CohortAsync(round.Id, set, [assessment.Id], ct);
        return scores.TryGetValue(assessment.Id, out var result)
            ? result
            : throw new InvalidOperationException($"Bản đánh giá {assessment.Id} không thuộc đợt {round.Id}.");
    }

    /// <summary>
    /// What the entry page shows again after a save, in one go (issue 17: one context and one access check per save instead
    /// of one per question): the live result and shown score (<see cref="ShownAsync"/>) and the set's rule checks
    /// (<see cref="AssessmentRuleChecks"/>).
    /// </summary>
    public async Task<(UnitResult Live, ShownScore Shown, IReadOnlyList<RuleCheck> Checks)> AfterSaveAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct); // the scope written once per call, not per query
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        var live = await ScoreAsync(db, assessment, round, set, ct);
        var shown = DisplayedScore.Choose(assessment.Status, assessment.RecognisedTotal, assessment.RecognisedLevel, live, set.Set.MaxPoints is not null);
        var checks = await AssessmentRuleChecks.ComputeAsync(db, assessment, set, ct);
        return (live, shown, checks);
    }

    /// <summary>
    /// The total and level the entry page shows (<see cref="DisplayedScore"/>): the recognised result once approved, the live
    /// score against the round's cohort before; with the live result for the per-criterion points.
    /// </summary>
    public async Task<(UnitResult Live, ShownScore Shown)> ShownAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct); // the scope written once per call, not per query
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        var live = await ScoreAsync(db, assessment, round, set, ct);
        return (live, DisplayedScore.Choose(assessment.Status, assessment.RecognisedTotal, assessment.RecognisedLevel, live, set.Set.MaxPoints is not null));
    }

    /// <summary>
    /// The live scores of <paramref name="ids"/> (assessments of one round that the caller may see) against the whole round:
    /// the cohort is read as the system in a dedicated scope, only the asked ids' results leave.
    /// </summary>
    internal async Task<IReadOnlyDictionary<int, UnitResult>> CohortAsync(int roundId, EntrySet set, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DbContextOptions<DtiDbContext>>();
        await using var system = new DtiDbContext(options, FixedUnitScope.System);
        return await DisplayedScore.CohortAsync(roundScores, system, roundId, set, ids, ct);
    }
}
