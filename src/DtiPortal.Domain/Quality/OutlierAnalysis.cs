using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Quality;

/// <summary>How a figure combines over a merged unit's predecessors: counts and amounts add up, ratios and percentages average.</summary>
public enum FigureKind
{
    /// <summary>A count or an amount (số lượng, số tiền): the predecessors' figures are summed.</summary>
    Amount,
    /// <summary>A ratio or a percentage (tỷ lệ): the predecessors' figures are averaged.</summary>
    Share,
}

/// <summary>
/// One figure of one unit's assessment: an input ("3.1.a", "general:1.4") or a criterion's computed ratio ("ratio:3.1").
/// The key is what is matched across rounds, so a criterion renumbered in a later set version still matches through its
/// input code, and a figure absent from either side is simply not compared. <see cref="IsFraction"/>: the value is a
/// fraction (0,725) shown as a percentage.
/// </summary>
public sealed record Figure(string Key, string Label, FigureKind Kind, decimal Value, bool IsFraction = false);

/// <summary>The two checks of the data-quality list.</summary>
public enum QualityCheck
{
    /// <summary>Moved more than the round's share since the unit's (or its predecessors') previous round of the same tier.</summary>
    ChangeSincePrevious,
    /// <summary>Far from the round's peers: modified z-score beyond the threshold.</summary>
    FarFromPeers,
}

/// <summary>
/// The thresholds (appsettings <c>DataQuality</c>; see docs/user/kiem-tra-chat-luong.md). <see cref="ChangeShare"/> 0,5 flags a
/// figure that rose or fell by more than 50%; <see cref="MinCohort"/> is the fewest peers with the figure for the z-score to
/// mean anything (below it the peer check is skipped); <see cref="ZThreshold"/> is Iglewicz and Hoaglin's 3,5.
/// </summary>
public sealed record QualitySettings(decimal ChangeShare = 0.5m, int MinCohort = 5, decimal ZThreshold = 3.5m)
{
    public static readonly QualitySettings Default = new();

    public void Validate()
    {
        if (ChangeShare <= 0) throw new DomainException("Ngưỡng thay đổi so với đợt trước phải lớn hơn 0.");
        if (MinCohort < 3) throw new DomainException("Số đơn vị tối thiểu để so sánh với các đơn vị cùng đợt phải từ 3 trở lên.");
        if (ZThreshold <= 0) throw new DomainException("Ngưỡng điểm z hiệu chỉnh phải lớn hơn 0.");
    }
}

/// <summary>
/// One doubtful figure: the value, what it was compared with (the previous round's figure, or the cohort's median), the
/// measure (the relative change, or the modified z-score) and a Vietnamese sentence a reviewer reads as it is.
/// </summary>
public sealed record QualityFlag(string UnitKey, string FigureKey, string Label, QualityCheck Check, decimal Value, decimal Reference,
    decimal Measure, string Explanation, bool IsFraction);

/// <summary>What a unit's previous round holds: its own assessment, or its predecessors' (a merged unit's first round).</summary>
public sealed record PreviousFigures(string RoundName, bool FromPredecessors, IReadOnlyList<IReadOnlyList<Figure>> Units);

/// <summary>
/// Outlier analysis of a round's figures (issue 15), pure. Two checks, in the spirit of DHIS2's outlier analysis:
/// <list type="bullet">
/// <item>change since the unit's previous round of the same tier: |x − p| / |p| above <see cref="QualitySettings.ChangeShare"/>;
/// a previous figure of 0 is not compared (a share of nothing is undefined; the peer check still sees the figure);</item>
/// <item>distance from the round's peers: the modified z-score M = 0,6745·(x − median)/MAD (Iglewicz–Hoaglin), flagged when
/// |M| &gt; 3,5. The median and the MAD resist the outliers themselves, which matters in a cohort of a dozen communes. When
/// more than half the peers share one value the MAD is 0; then the mean absolute deviation around the median (MeanAD) stands
/// in: M = (x − median)/(1,253314·MeanAD) = 0,7979·(x − median)/MeanAD (the IBM SPSS convention). When every peer has the
/// same value nothing is flagged. Fewer than <see cref="QualitySettings.MinCohort"/> peers with the figure: not checked.</item>
/// </list>
/// </summary>
public static class OutlierAnalysis
{
    public const decimal MadFactor = 0.6745m;
    public const decimal MeanAdFactor = 0.7979m;

    /// <summary>Whether an input of this type is a figure, and how it combines: percentages average, the other numbers add up.</summary>
    public static FigureKind? KindOf(InputType type) => type switch
    {
        InputType.Percent => FigureKind.Share,
        InputType.Integer or InputType.Number or InputType.Money => FigureKind.Amount,
        _ => null,
    };

    /// <summary>
    /// The predecessors' figures combined into one unit's: summed for amounts, averaged for shares. A figure is combined only
    /// when every predecessor has it: half a merged commune's households would look like a fall by half.
    /// </summary>
    public static IReadOnlyList<Figure> Combine(IReadOnlyList<IReadOnlyList<Figure>> units)
    {
        if (units.Count == 0) return [];
        if (units.Count == 1) return units[0];
        var result = new List<Figure>();
        foreach (var first in units[0])
        {
            var values = new List<decimal>(units.Count);
            foreach (var unit in units)
            {
                var f = unit.FirstOrDefault(x => x.Key == first.Key);
                if (f is null) break;
                values.Add(f.Value);
            }
            if (values.Count != units.Count) continue;
            var combined = first.Kind == FigureKind.Amount ? values.Sum() : values.Sum() / values.Count;
            result.Add(first with { Value = combined });
        }
        return result;
    }

    /// <summary>The figures of one unit that moved more than the share since its previous round (or its predecessors').</summary>
    public static IReadOnlyList<QualityFlag> ChangeSincePrevious(string unitKey, IReadOnlyList<Figure> current, PreviousFigures previous, QualitySettings settings)
    {
        var before = Combine(previous.Units).ToDictionary(f => f.Key, StringComparer.Ordinal);
        var flags = new List<QualityFlag>();
        foreach (var f in current)
        {
            if (!before.TryGetValue(f.Key, out var p) || p.Value == 0) continue;
            var change = (f.Value - p.Value) / Math.Abs(p.Value);
            if (Math.Abs(change) <= settings.ChangeShare) continue;
            var what = !previous.FromPredecessors ? $"đợt trước ({previous.RoundName})"
                : f.Kind == FigureKind.Amount ? $"tổng của các đơn vị tiền thân ở đợt trước ({previous.RoundName})"
                : $"trung bình của các đơn vị tiền thân ở đợt trước ({previous.RoundName})";
            var verb = change > 0 ? "Tăng" : "Giảm";
            var text = $"{verb} {VnFormat.Percent(Math.Abs(change))} so với {what}: {Show(p.Value, f.IsFraction)} → {Show(f.Value, f.IsFraction)}; "
                + $"ngưỡng cảnh báo {VnFormat.Percent(settings.ChangeShare)}.";
            flags.Add(new QualityFlag(unitKey, f.Key, f.Label, QualityCheck.ChangeSincePrevious, f.Value, p.Value, decimal.Round(change, 4), text, f.IsFraction));
        }
        return flags;
    }

    /// <summary>The figures far from the round's peers, over every unit of the cohort (unit key → its figures).</summary>
    public static IReadOnlyList<QualityFlag> FarFromPeers(IReadOnlyDictionary<string, IReadOnlyList<Figure>> cohort, QualitySettings settings)
    {
        var byKey = new Dictionary<string, List<(string Unit, Figure Figure)>>(StringComparer.Ordinal);
        foreach (var (unit, figures) in cohort)
            foreach (var f in figures)
            {
                if (!byKey.TryGetValue(f.Key, out var list)) byKey[f.Key] = list = [];
                list.Add((unit, f));
            }
        var flags = new List<QualityFlag>();
        foreach (var (key, list) in byKey.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            if (list.Count < settings.MinCohort) continue;
            var values = list.Select(x => x.Figure.Value).ToList();
            foreach (var (unit, f) in list)
            {
                var m = ModifiedZ(f.Value, values);
                if (m is not { } z || Math.Abs(z) <= settings.ZThreshold) continue;
                var median = Median(values);
                var side = z > 0 ? "cao hơn" : "thấp hơn";
                var text = $"Cách xa các đơn vị cùng đợt: {Show(f.Value, f.IsFraction)} {side} nhiều so với trung vị {Show(median, f.IsFraction)} của {list.Count} đơn vị "
                    + $"(điểm z hiệu chỉnh {VnFormat.Number(z)}; ngưỡng {VnFormat.Number(settings.ZThreshold)}).";
                flags.Add(new QualityFlag(unit, key, f.Label, QualityCheck.FarFromPeers, f.Value, median, decimal.Round(z, 4), text, f.IsFraction));
            }
        }
        return flags;
    }

    /// <summary>
    /// The modified z-score of <paramref name="x"/> among <paramref name="values"/> (which include it); null when every value is
    /// the same (nothing stands out).
    /// </summary>
    public static decimal? ModifiedZ(decimal x, IReadOnlyList<decimal> values)
    {
        var median = Median(values);
        var deviations = values.Select(v => Math.Abs(v - median)).ToList();
        var mad = Median(deviations);
        if (mad != 0) return MadFactor * (x - median) / mad;
        var meanAd = deviations.Sum() / deviations.Count;
        if (meanAd == 0) return null;
        return MeanAdFactor * (x - median) / meanAd;
    }

    public static decimal Median(IReadOnlyList<decimal> values)
    {
        if (values.Count == 0) throw new ArgumentException("No values.", nameof(values));
        var sorted = values.Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Show(decimal value, bool fraction) => fraction ? VnFormat.Percent(value) : VnFormat.Number(value);
}
