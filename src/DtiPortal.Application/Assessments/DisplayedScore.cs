using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// The total and maturity level a page, a spreadsheet or a document shows for one assessment at its stage (issue 15: one
/// score everywhere). <see cref="Recognised"/> says where it came from: the result recognised at approval (scored against
/// the cohort snapshot frozen then) or the live self-assessed score against the round's cohort.
/// </summary>
public sealed record ShownScore(decimal? Total, int? Level, bool Recognised);

/// <summary>
/// The one rule for which score is shown: once an assessment is approved (and after, when published) the recognised result
/// stored at approval, whatever the other units do later; before, the live score of the unit compared with its round's
/// cohort (peer-relative criteria such as 4.6, 8.4 and 8.5 of hung-yen-commune-2024 rank the unit among its peers — scored
/// alone it would always be the best). Every list, dashboard, export, document and public page goes through here, so two
/// places never show two numbers for the same assessment at the same stage. Pure: the callers load what it needs.
/// </summary>
public static class DisplayedScore
{
    /// <summary>Approved or published: the recognised result is what counts.</summary>
    public static bool ShowsRecognised(AssessmentStatus status) => status is AssessmentStatus.Approved or AssessmentStatus.Published;

    /// <summary>
    /// Chooses the shown score. <paramref name="cohortScore"/>: the live result of the unit scored with every assessment of its
    /// round (<see cref="ScoreAssessment"/>, <see cref="Reporting.RoundScoreCache"/>); null when not computed.
    /// <paramref name="recognisedTotal"/>/<paramref name="recognisedLevel"/>: the newest recognised result (the assessment's
    /// copy, or the newest row of recognised_results). An approved assessment without a stored result (never the case after
    /// an approval through the portal) falls back to the live score rather than showing nothing. A set without points shows
    /// no total.
    /// </summary>
    public static ShownScore Choose(AssessmentStatus status, decimal? recognisedTotal, int? recognisedLevel, UnitResult? cohortScore, bool usesPoints)
    {
        if (ShowsRecognised(status) && recognisedTotal is not null)
            return new ShownScore(usesPoints ? recognisedTotal : null, recognisedLevel, true);
        if (cohortScore is null) return new ShownScore(null, null, false);
        return new ShownScore(usesPoints ? cohortScore.Total : null, cohortScore.Level, false);
    }

    /// <summary>
    /// The maturity level in words, the same on every page and export: "Mức 2 – Cơ bản", "Chưa đạt mức 1", or "—" when there
    /// is no level (nothing scored yet, or a set without levels).
    /// </summary>
    public static string LevelText(int? level, IReadOnlyList<MaturityLevel> levels) => LevelOrNull(level, levels) ?? "—";

    /// <summary>As <see cref="LevelText"/>, null when there is no level (spreadsheet cells left empty).</summary>
    public static string? LevelOrNull(int? level, IReadOnlyList<MaturityLevel> levels) => level switch
    {
        null => null,
        <= 0 => "Chưa đạt mức 1",
        { } l => levels.FirstOrDefault(x => x.Level == l) is { } m ? $"Mức {l} – {m.Name}" : $"Mức {l}",
    };

    /// <summary>
    /// The live scores of <paramref name="ids"/> against their round's cohort, from the instance's
    /// <see cref="Reporting.RoundScoreCache"/>. <paramref name="system"/>: an unrestricted context; only the asked ids' results
    /// leave (the caller asks only for assessments its user may see). An assessment created after the scores were read is left out.
    /// </summary>
    internal static async Task<IReadOnlyDictionary<int, UnitResult>> CohortAsync(Reporting.RoundScoreCache cache, Data.DtiDbContext system,
        int roundId, EntrySet set, IEnumerable<int> ids, CancellationToken ct)
    {
        var scores = await cache.GetAsync(system, roundId, set, ct);
        var result = new Dictionary<int, UnitResult>();
        foreach (var id in ids)
            if (scores.Live.TryGetValue(id, out var unit)) result[id] = unit;
        return result;
    }

    /// <summary>The total in Vietnamese notation (1.000; 642,98) or "—".</summary>
    public static string TotalText(decimal? total) => total is { } t ? VnFormat.Number(t) : "—";
}
