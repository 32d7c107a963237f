using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests.Scoring;

/// <summary>
/// Issue 14 ("Details to fix"): an explanation used to round the ratio before showing the comparison and then contradict
/// the points — "(75+75)/5.000 = 3% < 3% → 0", "2,99/1.200 = 0,25% ≥ 0,25%? Không → … 14,95". The value is now shown
/// with the decimals it takes to sit on the same side of the threshold as the value itself.
/// </summary>
public sealed class ExplanationComparisonTests
{
    private static string Explain(string method, params (string Key, object Value)[] values)
    {
        var set = TestSets.Load(TestSets.OneCriterionYaml(method, max: 15));
        var unit = new UnitValues("XA-1", values.ToDictionary(v => v.Key, v => (object?)v.Value));
        return ScoringEngine.ScoreOne(set, unit).Node("1.1").Explanation;
    }

    [Fact]
    public void Ratio_target_just_below_the_target_is_shown_below_it()
    {
        var text = Explain("""
            method: ratio-target
            ratio: a/b
            target: "0.25%"
            inputs:
              - { key: a, label: Số tiền, type: number }
              - { key: b, label: Tổng, type: number }
            """, ("1.1.a", 2.99m), ("1.1.b", 1200L));
        Assert.Contains("2,99/1.200 = 0,249% ≥ 0,25%? Không", text);
        Assert.DoesNotContain("0,25% ≥ 0,25%? Không", text);
        Assert.EndsWith("= 14,95", text);
    }

    [Fact]
    public void Steps_just_below_the_lowest_step_are_shown_below_it_with_the_inputs_as_entered()
    {
        var text = Explain("""
            method: ratio-steps
            ratio: (a+b)/c
            steps:
              - { min: "3%", fraction: 1 }
            inputs:
              - { key: a, label: A, type: number }
              - { key: b, label: B, type: number }
              - { key: c, label: C }
            """, ("1.1.a", 75L), ("1.1.b", 74.999m), ("1.1.c", 5000L));
        Assert.Contains("(75+74,999)/5.000 = 2,99998% < 3% → 0", text);
    }

    [Fact]
    public void A_value_exactly_at_the_threshold_keeps_two_decimals_and_reaches_it()
    {
        var text = Explain("""
            method: ratio-steps
            ratio: (a+b)/c
            steps:
              - { min: "3%", fraction: 1 }
            inputs:
              - { key: a, label: A }
              - { key: b, label: B }
              - { key: c, label: C }
            """, ("1.1.a", 75L), ("1.1.b", 75L), ("1.1.c", 5000L));
        Assert.Contains("(75+75)/5.000 = 3% ≥ 3% → điểm tối đa", text);
    }

    [Theory]
    [InlineData(0.0299999, 3, true, 5)]
    [InlineData(0.03, 3, true, 2)]
    [InlineData(0.7251, 80, true, 2)]
    [InlineData(9.996, 10, false, 3)]
    public void Decimals_are_the_fewest_that_keep_the_comparison(double value, double thresholdShown, bool percent, int expected)
    {
        var threshold = (decimal)thresholdShown / (percent ? 100 : 1);
        Assert.Equal(expected, VnFormat.DecimalsFor((decimal)value, [threshold], percent));
    }
}
