using System.Globalization;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Application.PublicResults;

/// <summary>A published unit's stored figures as the ranking query reads them (before ranking).</summary>
public sealed record RankingInput(
    int AssessmentId, int RoundId, int UnitId, string UnitName, int? ParentId, string? ParentName, int ProvinceUnitId, string? ProvinceName,
    decimal Total, int? Level, IReadOnlyList<decimal?> Indices);

/// <summary>
/// Ranks published units (pure; no I/O). Points sets: by recognised total, highest first. Levels-only sets (Decision 2361):
/// by recognised level, highest first (no level counts as 0). Equal keys share a rank and the next rank skips
/// ("1, 2, 2, 4", standard competition ranking); within a rank, units are listed by name in Vietnamese order.
/// </summary>
public static class PublicRanking
{
    private static readonly StringComparer Names = VietnameseComparer();

    /// <summary>The ranking scale of a set: main indices are its depth-0 nodes (the depth-0 rows of every stored result).</summary>
    public static RankingScale ScaleOf(CriteriaSet set) => new(
        LevelsOnly: set.MaxPoints is null && set.Levels.Count > 0,
        MaxPoints: set.MaxPoints,
        Indices: [.. set.Tree.Select(n => new MainIndex(n.Code, n.Name, n.Max))],
        Levels: set.Levels);

    public static Ranking Build(RankingScale scale, IEnumerable<RankingInput> inputs, bool filterByProvince)
    {
        decimal Key(RankingInput r) => scale.LevelsOnly ? r.Level ?? 0 : r.Total;
        var sorted = inputs.OrderByDescending(Key).ThenBy(r => r.UnitName, Names).ThenBy(r => r.AssessmentId).ToList();
        var rows = new List<RankedUnit>(sorted.Count);
        var rank = 0;
        decimal? previous = null;
        for (var i = 0; i < sorted.Count; i++)
        {
            var r = sorted[i];
            var key = Key(r);
            if (previous != key) rank = i + 1;
            previous = key;
            rows.Add(new RankedUnit(rank, r.AssessmentId, r.RoundId, r.UnitId, r.UnitName, r.ParentId, r.ParentName, r.ProvinceUnitId,
                r.ProvinceName, r.Total, r.Level, scale.LevelName(r.Level), r.Indices));
        }
        var filters = filterByProvince
            ? rows.GroupBy(r => r.ProvinceUnitId).Select(g => new FilterOption(g.Key, g.First().ProvinceName ?? "", g.Count()))
            : rows.Where(r => r.ParentId is not null).GroupBy(r => r.ParentId!.Value).Select(g => new FilterOption(g.Key, g.First().ParentName ?? "", g.Count()));
        var options = filters.OrderBy(f => f.Name, Names).ToList();
        return new Ranking(scale, rows, Distribution(scale, rows), options.Count > 1 ? options : []);
    }

    /// <summary>
    /// How many units reached each level (highest first, then "not recognised at any level"); for a points-only set, how many
    /// fall in each fifth of the maximum ("800 – 1.000 điểm" …), highest first.
    /// </summary>
    public static IReadOnlyList<DistributionBand> Distribution(RankingScale scale, IReadOnlyList<RankedUnit> rows)
    {
        if (scale.Levels.Count > 0)
        {
            var bands = scale.Levels.OrderByDescending(l => l.Level)
                .Select(l => new DistributionBand(Assessments.DisplayedScore.LevelText(l.Level, scale.Levels), rows.Count(r => r.Level == l.Level))).ToList();
            var none = rows.Count(r => r.Level is null or 0);
            if (none > 0) bands.Add(new DistributionBand(Assessments.DisplayedScore.LevelText(0, scale.Levels), none));
            return bands;
        }
        if (scale.MaxPoints is not { } max || max <= 0) return [];
        var step = max / 5;
        var result = new List<DistributionBand>();
        for (var i = 4; i >= 0; i--)
        {
            var low = step * i;
            var high = step * (i + 1);
            var count = rows.Count(r => r.Total >= low && (i == 4 ? r.Total <= high : r.Total < high));
            var label = i == 4 ? $"Từ {VnFormat.Number(low)} đến {VnFormat.Number(high)} điểm" : $"Từ {VnFormat.Number(low)} đến dưới {VnFormat.Number(high)} điểm";
            result.Add(new DistributionBand(label, count));
        }
        return result;
    }

    private static StringComparer VietnameseComparer()
    {
        try
        {
            return StringComparer.Create(CultureInfo.GetCultureInfo("vi-VN"), CompareOptions.IgnoreCase);
        }
        catch (CultureNotFoundException)
        {
            return StringComparer.OrdinalIgnoreCase;
        }
    }
}
