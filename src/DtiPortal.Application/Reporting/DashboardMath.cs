using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Application.Reporting;

/// <summary>
/// The dashboards' arithmetic, without I/O: progress buckets, overdue stages, ranks with ties, histogram bins and the
/// share of a main index a unit reached. Public so that the spreadsheets and the public results count the same way.
/// </summary>
public static class DashboardMath
{
    /// <summary>Vietnam has one time zone, UTC+7, without daylight saving: deadlines are calendar days there.</summary>
    public static DateOnly VietnamToday(TimeProvider clock) =>
        DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).DateTime);

    public static ProgressBucket Bucket(AssessmentStatus status, bool hasValues) => status switch
    {
        AssessmentStatus.Draft => hasValues ? ProgressBucket.InProgress : ProgressBucket.NotStarted,
        AssessmentStatus.Returned => ProgressBucket.Returned,
        AssessmentStatus.Approved or AssessmentStatus.Published => ProgressBucket.Approved,
        _ => ProgressBucket.Submitted,
    };

    /// <summary>
    /// The deadline the assessment is waiting on, as the review queue reads it: the entry deadline while the unit holds it,
    /// the review deadline while the district has it (rounds with a district tier), else the council's. Overdue when
    /// today (Vietnam) is after it; approved and published assessments are never overdue.
    /// </summary>
    public static OverdueStage Overdue(AssessmentStatus status, DateOnly entry, DateOnly review, DateOnly council, bool hasDistrictTier, DateOnly today) => status switch
    {
        AssessmentStatus.Draft or AssessmentStatus.Returned => today > entry ? OverdueStage.Entry : OverdueStage.None,
        AssessmentStatus.Submitted or AssessmentStatus.UnderDistrictReview when hasDistrictTier => today > review ? OverdueStage.Review : OverdueStage.None,
        AssessmentStatus.Submitted or AssessmentStatus.UnderDistrictReview or AssessmentStatus.Forwarded or AssessmentStatus.UnderCouncilAppraisal =>
            today > council ? OverdueStage.Council : OverdueStage.None,
        _ => OverdueStage.None,
    };

    public static OverdueStage Overdue(AssessmentStatus status, RoundSummary round, DateOnly today) =>
        Overdue(status, round.EntryDeadline, round.ReviewDeadline, round.CouncilDeadline, round.HasDistrictTier, today);

    /// <summary>
    /// Competition ranks ("1, 2, 2, 4"), highest first; null keys are not ranked. Keys are compared at the precision shown
    /// (two decimals), so 812,499 and 812,5 — both printed "812,5" — share a rank.
    /// </summary>
    public static int?[] Ranks(IReadOnlyList<decimal?> keys)
    {
        var ranks = new int?[keys.Count];
        var order = Enumerable.Range(0, keys.Count).Where(i => keys[i] is not null)
            .OrderByDescending(i => Round(keys[i]!.Value)).ToList();
        for (var k = 0; k < order.Count; k++)
        {
            var i = order[k];
            ranks[i] = k > 0 && Round(keys[order[k - 1]]!.Value) == Round(keys[i]!.Value) ? ranks[order[k - 1]] : k + 1;
        }
        return ranks;
    }

    private static decimal Round(decimal d) => decimal.Round(d, 2, MidpointRounding.AwayFromZero);

    /// <summary>A round bin width giving at most ten bins up to <paramref name="max"/>: 1000 → 100, 150 → 20, 100 → 10.</summary>
    public static decimal BinWidth(decimal max)
    {
        if (max <= 0) return 1;
        var raw = (double)max / 10;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var m in new[] { 1d, 2d, 2.5d, 5d, 10d })
            if (m * magnitude >= raw - 1e-9) return (decimal)(m * magnitude);
        return (decimal)(10 * magnitude);
    }

    /// <summary>Histogram of scores from 0 to <paramref name="max"/>: [from, to) per bin, the last bin closed.</summary>
    public static IReadOnlyList<ScoreBin> Bins(IEnumerable<decimal> scores, decimal max)
    {
        if (max <= 0) return [];
        var width = BinWidth(max);
        var count = (int)Math.Ceiling(max / width);
        var counts = new int[count];
        foreach (var s in scores)
        {
            var i = s <= 0 ? 0 : (int)Math.Floor(s / width);
            counts[Math.Clamp(i, 0, count - 1)]++;
        }
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var from = i * width;
            var last = i == count - 1;
            var to = last ? max : from + width;
            var label = last ? $"{VnFormat.Number(from)} – {VnFormat.Number(to)}" : $"{VnFormat.Number(from)} – <{VnFormat.Number(to)}";
            return new ScoreBin(from, to, label, counts[i]);
        })];
    }

    /// <summary>"Chưa đạt mức 1", "Mức 3 – Cơ bản".</summary>
    public static string LevelLabel(int level, IReadOnlyList<MaturityLevel> levels) => Assessments.DisplayedScore.LevelText(level, levels);

    /// <summary>Counts per level, from 0 (not level 1) to the set's highest.</summary>
    public static IReadOnlyList<LevelCount> LevelCounts(IEnumerable<int> reached, IReadOnlyList<MaturityLevel> levels)
    {
        if (levels.Count == 0) return [];
        var top = levels.Max(l => l.Level);
        var counts = new int[top + 1];
        foreach (var l in reached) counts[Math.Clamp(l, 0, top)]++;
        return [.. Enumerable.Range(0, top + 1).Select(l => new LevelCount(l, LevelLabel(l, levels), counts[l]))];
    }

    /// <summary>The set's total maximum (0 for a set of maturity levels only).</summary>
    public static decimal MaxScore(CriteriaSet set) => set.MaxPoints ?? set.Tree.Sum(n => n.Max);

    /// <summary>For each main index (depth 0), the leaf criteria below it.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> LeavesByIndex(CriteriaSet set) =>
        [.. set.Tree.Select(top => (IReadOnlyList<string>)[.. Leaves(top).Select(n => n.Code)])];

    private static IEnumerable<CriterionNode> Leaves(CriterionNode node) =>
        node.IsGroup ? node.Children.SelectMany(Leaves) : [node];

    /// <summary>
    /// The share of each main index a unit reached: points ÷ max for a points set; for a set of levels only, the average
    /// level its criteria meet ÷ the highest level (criteria without requirements left out).
    /// </summary>
    public static decimal[] Shares(CriteriaSet set, IReadOnlyList<IReadOnlyList<string>> leaves,
        Func<string, decimal> points, Func<string, int?> levelMet)
    {
        var shares = new decimal[set.Tree.Count];
        var usePoints = MaxScore(set) > 0 || set.Levels.Count == 0;
        var topLevel = set.Levels.Count > 0 ? set.Levels.Max(l => l.Level) : 0;
        for (var i = 0; i < set.Tree.Count; i++)
        {
            var node = set.Tree[i];
            if (usePoints)
            {
                shares[i] = node.Max > 0 ? Math.Clamp(points(node.Code) / node.Max, 0, 1) : 0;
                continue;
            }
            var met = leaves[i].Select(levelMet).OfType<int>().ToList();
            shares[i] = met.Count == 0 || topLevel == 0 ? 0 : Math.Clamp((decimal)met.Average() / topLevel, 0, 1);
        }
        return shares;
    }
}
