using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Quality;

namespace DtiPortal.Domain.Tests.Quality;

/// <summary>The outlier checks against values worked out by hand (issue 15).</summary>
public sealed class OutlierAnalysisTests
{
    private static Figure Amount(string key, decimal v) => new(key, "Số hộ " + key, FigureKind.Amount, v);
    private static Figure Share(string key, decimal v) => new(key, "Tỷ lệ " + key, FigureKind.Share, v);

    [Theory]
    [InlineData(InputType.Integer, FigureKind.Amount)]
    [InlineData(InputType.Number, FigureKind.Amount)]
    [InlineData(InputType.Money, FigureKind.Amount)]
    [InlineData(InputType.Percent, FigureKind.Share)]
    public void Numbers_are_figures_and_percentages_average(InputType type, FigureKind kind) =>
        Assert.Equal(kind, OutlierAnalysis.KindOf(type));

    [Theory]
    [InlineData(InputType.Boolean)]
    [InlineData(InputType.Text)]
    [InlineData(InputType.Date)]
    public void Yes_no_text_and_dates_are_not_figures(InputType type) => Assert.Null(OutlierAnalysis.KindOf(type));

    [Fact]
    public void Median_of_odd_and_even_counts()
    {
        Assert.Equal(12m, OutlierAnalysis.Median([13m, 10m, 12m, 50m, 11m]));
        Assert.Equal(2.5m, OutlierAnalysis.Median([4m, 1m, 3m, 2m]));
    }

    [Fact]
    public void Modified_z_score_uses_the_median_absolute_deviation()
    {
        // median 12; |deviations| 2, 0, 1, 1, 38 → MAD 1; M(50) = 0,6745 · 38 / 1 = 25,631; M(10) = 0,6745 · −2 = −1,349.
        decimal[] values = [10m, 12m, 11m, 13m, 50m];
        Assert.Equal(25.631m, OutlierAnalysis.ModifiedZ(50m, values));
        Assert.Equal(-1.349m, OutlierAnalysis.ModifiedZ(10m, values));
    }

    [Fact]
    public void When_most_peers_agree_the_mean_absolute_deviation_stands_in()
    {
        // median 5; deviations 0, 0, 0, 0, 4 → MAD 0; MeanAD 4/5 = 0,8; M(9) = 0,7979 · 4 / 0,8 = 3,9895.
        decimal[] values = [5m, 5m, 5m, 5m, 9m];
        Assert.Equal(3.9895m, OutlierAnalysis.ModifiedZ(9m, values));
        Assert.Equal(0m, OutlierAnalysis.ModifiedZ(5m, values));
        Assert.Null(OutlierAnalysis.ModifiedZ(5m, [5m, 5m, 5m, 5m, 5m]));
    }

    [Fact]
    public void Far_from_peers_flags_only_the_outlier_with_its_measure_and_a_vietnamese_reason()
    {
        var cohort = new Dictionary<string, IReadOnlyList<Figure>>
        {
            ["A"] = [Amount("1.5.a", 10)], ["B"] = [Amount("1.5.a", 12)], ["C"] = [Amount("1.5.a", 11)],
            ["D"] = [Amount("1.5.a", 13)], ["E"] = [Amount("1.5.a", 50)],
        };
        var flag = Assert.Single(OutlierAnalysis.FarFromPeers(cohort, QualitySettings.Default));
        Assert.Equal(("E", "1.5.a", QualityCheck.FarFromPeers, 50m, 12m, 25.631m), (flag.UnitKey, flag.FigureKey, flag.Check, flag.Value, flag.Reference, flag.Measure));
        Assert.Equal("Cách xa các đơn vị cùng đợt: 50 cao hơn nhiều so với trung vị 12 của 5 đơn vị (điểm z hiệu chỉnh 25,63; ngưỡng 3,5).", flag.Explanation);
    }

    [Fact]
    public void A_cohort_smaller_than_the_minimum_is_not_checked()
    {
        var cohort = new Dictionary<string, IReadOnlyList<Figure>>
        {
            ["A"] = [Amount("x", 10)], ["B"] = [Amount("x", 12)], ["C"] = [Amount("x", 11)], ["D"] = [Amount("x", 500)],
        };
        Assert.Empty(OutlierAnalysis.FarFromPeers(cohort, QualitySettings.Default));
        // With a minimum of 4 the same cohort is checked: median 11,5; deviations 1,5 0,5 0,5 488,5 → MAD 1; M = 0,6745 · 488,5 = 329,49325, kept to 4 decimals.
        var flag = Assert.Single(OutlierAnalysis.FarFromPeers(cohort, QualitySettings.Default with { MinCohort = 4 }));
        Assert.Equal(("D", 329.4932m), (flag.UnitKey, flag.Measure));
    }

    [Fact]
    public void Change_since_the_previous_round_beyond_the_share_is_flagged()
    {
        var previous = new PreviousFigures("Đợt 2023", false, [[Amount("a", 1200), Amount("b", 2000), Amount("c", 0), Share("r", 0.40m) with { IsFraction = true }]]);
        IReadOnlyList<Figure> current = [Amount("a", 3000), Amount("b", 3000), Amount("c", 70), Share("r", 0.15m) with { IsFraction = true }, Amount("new", 5)];
        var flags = OutlierAnalysis.ChangeSincePrevious("X", current, previous, QualitySettings.Default);
        // a: +150% flagged; b: +50% is the threshold itself, not beyond; c: previous 0 not compared; r: 0,15 vs 0,40 = −62,5%.
        Assert.Equal(["a", "r"], flags.Select(f => f.FigureKey));
        Assert.Equal(1.5m, flags[0].Measure);
        Assert.Equal("Tăng 150% so với đợt trước (Đợt 2023): 1.200 → 3.000; ngưỡng cảnh báo 50%.", flags[0].Explanation);
        Assert.Equal(-0.625m, flags[1].Measure);
        Assert.Equal("Giảm 62,5% so với đợt trước (Đợt 2023): 40% → 15%; ngưỡng cảnh báo 50%.", flags[1].Explanation);
    }

    [Fact]
    public void A_merged_unit_is_compared_with_its_predecessors_sum_or_average()
    {
        // Households add up (400 + 600 = 1.000 → 1.400: +40%, not flagged); the rate averages ((60 + 80)/2 = 70 → 20: −71,43%).
        // "only-a" exists in one predecessor only: not combined, not compared.
        var previous = new PreviousFigures("Đợt 2023", true,
        [
            [Amount("hh", 400), Share("rate", 60), Amount("only-a", 7)],
            [Amount("hh", 600), Share("rate", 80)],
        ]);
        var combined = OutlierAnalysis.Combine(previous.Units);
        Assert.Equal([("hh", 1000m), ("rate", 70m)], combined.Select(f => (f.Key, f.Value)));
        var flag = Assert.Single(OutlierAnalysis.ChangeSincePrevious("M", [Amount("hh", 1400), Share("rate", 20), Amount("only-a", 900)], previous, QualitySettings.Default));
        Assert.Equal(("rate", 70m, -0.7143m), (flag.FigureKey, flag.Reference, flag.Measure));
        Assert.Equal("Giảm 71,43% so với trung bình của các đơn vị tiền thân ở đợt trước (Đợt 2023): 70 → 20; ngưỡng cảnh báo 50%.", flag.Explanation);
    }

    [Fact]
    public void The_change_share_is_configurable()
    {
        var previous = new PreviousFigures("Đợt 2023", false, [[Amount("a", 100)]]);
        Assert.Empty(OutlierAnalysis.ChangeSincePrevious("X", [Amount("a", 130)], previous, QualitySettings.Default));
        Assert.Single(OutlierAnalysis.ChangeSincePrevious("X", [Amount("a", 130)], previous, QualitySettings.Default with { ChangeShare = 0.25m }));
        Assert.Throws<DomainException>(() => new QualitySettings(ChangeShare: 0).Validate());
        Assert.Throws<DomainException>(() => new QualitySettings(MinCohort: 2).Validate());
    }
}
