using DtiPortal.Domain.Scoring;
using static DtiPortal.Domain.Tests.TestSets;

namespace DtiPortal.Domain.Tests.Scoring;

/// <summary>Every method of spec §5, as data: (method lines, values, expected points, expected flag).</summary>
public class MethodTests
{
    private const string RatioAb = """
        method: ratio
        ratio: a/b
        inputs:
          - { key: a, label: Tử số }
          - { key: b, label: Mẫu số }
        """;

    private const string TargetAb = """
        method: ratio-target
        ratio: a/b
        target: "80%"
        inputs:
          - { key: a, label: Tử số }
          - { key: b, label: Mẫu số }
        """;

    public static TheoryData<string, string, object[], decimal, string?> Cases() => new()
    {
        // yesno (seed 003 §2.1: Đã ban hành → max; chưa → 0)
        { "yesno yes", "method: yesno", ["1.1", true], 20m, null },
        { "yesno no", "method: yesno", ["1.1", false], 0m, null },
        { "yesno missing", "method: yesno", [], 0m, "Missing" },
        // choice (seed 003 §1.1: Bí thư/Chủ tịch 1, Phó ½, none 0)
        { "choice 1", ChoiceBody, ["1.1", 1], 20m, null },
        { "choice 2", ChoiceBody, ["1.1", 2], 10m, null },
        { "choice 3", ChoiceBody, ["1.1", 3], 0m, null },
        { "choice points", "method: choice\noptions:\n  - { label: A, points: 15 }\n  - { label: B, points: 4 }", ["1.1", 2], 4m, null },
        // ratio (seed 003 §3.1: Tỷ lệ × max)
        { "ratio", RatioAb, ["1.1.a", 3, "1.1.b", 4], 15m, null },
        { "ratio b=0", RatioAb, ["1.1.a", 3, "1.1.b", 0], 0m, "DivisionByZero" },
        { "ratio b=0 max", RatioAb + "\nzeroDenominator: max", ["1.1.a", 0, "1.1.b", 0], 20m, "ZeroDenominatorMax" },
        { "ratio >100%", RatioAb, ["1.1.a", 5, "1.1.b", 4], 20m, "RatioAbove100" },
        { "ratio negative", RatioAb, ["1.1.a", -3, "1.1.b", 4], 0m, "NegativeInput" },
        { "ratio missing b", RatioAb, ["1.1.a", 3], 0m, "Missing" },
        { "ratio percent input", "method: ratio", ["1.1", 72.5], 14.5m, null },
        { "ratio percent >100", "method: ratio", ["1.1", 120], 20m, "RatioAbove100" },
        // ratio-target (seed 003 §6.3: ≥ 80% → max; else r/80% × max)
        { "target reached", TargetAb, ["1.1.a", 85, "1.1.b", 100], 20m, null },
        { "target exactly", TargetAb, ["1.1.a", 80, "1.1.b", 100], 20m, null },
        { "target below", TargetAb, ["1.1.a", 60, "1.1.b", 100], 15m, null },
        // ratio-target-plain (seed 001 §7.1 wording: else r × max)
        { "target plain below", TargetAb.Replace("ratio-target", "ratio-target-plain"), ["1.1.a", 60, "1.1.b", 100], 12m, null },
        { "target plain reached", TargetAb.Replace("ratio-target", "ratio-target-plain"), ["1.1.a", 90, "1.1.b", 100], 20m, null },
        // band (seed 003 §6.5: 100% → max; 60% ≤ r < 100% → r × max; < 60% → 0)
        { "band 100", "method: band\nlower: \"60%\"", ["1.1", 100], 20m, null },
        { "band 72.5", "method: band\nlower: \"60%\"", ["1.1", 72.5], 14.5m, null },
        { "band 60", "method: band\nlower: \"60%\"", ["1.1", 60], 12m, null },
        { "band 59.9", "method: band\nlower: \"60%\"", ["1.1", 59.9], 0m, null },
        { "band all-or-nothing", "method: band\nlower: \"100%\"", ["1.1", 99], 0m, null },
        // ratio-steps (seed 000 §5.8.1: ≥10% max; ≥7% 70%; ≥3% 30%; else 0)
        { "steps 12%", StepsBody, ["1.1", 12], 20m, null },
        { "steps 8%", StepsBody, ["1.1", 8], 14m, null },
        { "steps 3%", StepsBody, ["1.1", 3], 6m, null },
        { "steps 2%", StepsBody, ["1.1", 2], 0m, null },
        // count-tiers (seed 003 §1.3: ≥10 max; 5–9 ½; 1–4 ¼; none 0)
        { "tiers 12", TiersBody, ["1.1", 12], 20m, null },
        { "tiers 7", TiersBody, ["1.1", 7], 10m, null },
        { "tiers 1", TiersBody, ["1.1", 1], 5m, null },
        { "tiers 0", TiersBody, ["1.1", 0], 0m, null },
        { "tiers absolute points", "method: count-tiers\ntiers:\n  - { min: 2, points: 3 }\n  - { min: 1, points: 1 }", ["1.1", 1], 1m, null },
        // parts (seed 001 §6.1: meets requirements ⅘ + IPv6 ⅕)
        { "parts both", PartsBody, ["1.1.req", true, "1.1.ipv6", true], 20m, null },
        { "parts first", PartsBody, ["1.1.req", true, "1.1.ipv6", false], 16m, null },
        { "parts one missing", PartsBody, ["1.1.req", true], 16m, "Missing" },
        // capped-count (seed 001 §8.5: 1 point each, at most max)
        { "capped under", "method: capped-count\npointsEach: 1", ["1.1", 7], 7m, null },
        { "capped over", "method: capped-count\npointsEach: 1", ["1.1", 27], 20m, null },
        // formula (seed 003 §6.2: (c+d)/(a+b))
        { "formula", FormulaBody, ["1.1.a", 10, "1.1.b", 10, "1.1.c", 5, "1.1.d", 5], 10m, null },
        // direct (seed 004: points typed)
        { "direct", "method: direct", ["1.1", 12.5], 12.5m, null },
        { "direct above max", "method: direct", ["1.1", 25], 20m, "AboveMax" },
        { "direct negative", "method: direct", ["1.1", -1], 0m, "NegativeInput" },
    };

    private const string ChoiceBody = """
        method: choice
        options:
          - { label: Chủ tịch, fraction: 1 }
          - { label: Phó Chủ tịch, fraction: 1/2 }
          - { label: Chưa phân công, fraction: 0 }
        """;

    private const string StepsBody = """
        method: ratio-steps
        steps:
          - { min: "10%", fraction: 1 }
          - { min: "7%", fraction: 0.7 }
          - { min: "3%", fraction: 0.3 }
        """;

    private const string TiersBody = """
        method: count-tiers
        tiers:
          - { min: 1, fraction: 1/4 }
          - { min: 10, fraction: 1 }
          - { min: 5, fraction: 1/2 }
        """;

    private const string PartsBody = """
        method: parts
        parts:
          - { key: req, label: Đáp ứng yêu cầu, fraction: 0.8 }
          - { key: ipv6, label: Hỗ trợ IPv6, fraction: 0.2 }
        """;

    private const string FormulaBody = """
        method: ratio
        ratio: (c+d)/(a+b)
        inputs:
          - { key: a, label: A }
          - { key: b, label: B }
          - { key: c, label: C }
          - { key: d, label: D }
        """;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Score_WhenMethodCase_GivesExpectedPoints(string name, string body, object[] values, decimal expected, string? flag)
    {
        var set = OneCriterion(body);
        var pairs = values.Chunk(2).Select(p => ((string)p[0], (object?)p[1])).ToArray();
        var unit = ScoreOne(set, pairs);
        var node = unit.Node("1.1");
        Assert.True(expected == node.Points, $"{name}: {node.Points} ≠ {expected} ({node.Explanation})");
        Assert.True(node.Points <= node.Max, name);
        if (flag is null) Assert.Empty(node.Flags);
        else Assert.Contains(flag, node.Flags);
        Assert.Equal(node.Points, unit.Node("1").Points);
        Assert.Equal(node.Points, unit.Total);
        Assert.False(string.IsNullOrWhiteSpace(node.Explanation));
    }

    [Fact]
    public void Score_WhenInputMissing_ListsItsAddress()
    {
        var unit = ScoreOne(OneCriterion(RatioAb), ("1.1.a", 3));
        Assert.Equal(["1.1.b"], unit.Missing);
        Assert.Contains("1.1.b", unit.Node("1.1").Explanation);
    }

    [Fact]
    public void Score_WhenRatioTargetBelow_ExplainsInVietnameseFormat()
    {
        var set = OneCriterion("method: ratio-target\ntarget: \"80%\"", max: 40);
        var node = ScoreOne(set, ("1.1", 72.5)).Node("1.1");
        Assert.Equal(36.25m, node.Points);
        Assert.Equal("Tỷ lệ 72,5% ≥ 80%? Không → 72,5/80 × 40 = 36,25", node.Explanation);
    }

    [Fact]
    public void Score_WhenFormula_ExplanationShowsSubstitution()
    {
        var node = ScoreOne(OneCriterion(FormulaBody), ("1.1.a", 10), ("1.1.b", 10), ("1.1.c", 5), ("1.1.d", 5)).Node("1.1");
        Assert.StartsWith("Tỷ lệ (c+d)/(a+b) = (5+5)/(10+10) = 50%", node.Explanation);
        Assert.Equal(10m, node.Inputs["a"]);
    }

    [Fact]
    public void Score_WhenGeneralDenominator_ReadsGeneralInformationOrOverride()
    {
        var yaml = OneCriterionYaml("""
            method: ratio
            ratio: a/b
            inputs:
              - { key: a, label: Hộ có cáp quang, unit: hộ }
              - { key: b, label: Tổng số hộ, unit: hộ, general: households }
            """).Replace("maxPoints:", "general:\n  - { code: \"1.6\", key: households, label: Số hộ, unit: hộ, type: integer }\nmaxPoints:");
        var set = Load(yaml);
        var general = new Dictionary<string, object?> { ["1.6"] = 200 };
        var unit = ScoringEngine.Score(set, [new UnitValues("XA", V(("1.1.a", 150)), general)]).Units[0];
        Assert.Equal(15m, unit.Node("1.1").Points);

        var overridden = ScoringEngine.Score(set, [new UnitValues("XA", V(("1.1.a", 150), ("1.1.b", 300)), general)]).Units[0];
        Assert.Equal(10m, overridden.Node("1.1").Points);

        var missing = ScoringEngine.Score(set, [new UnitValues("XA", V(("1.1.a", 150)))]).Units[0];
        Assert.Equal(["general:1.6"], missing.Missing);
    }

    [Theory]
    [InlineData("min-max", 0, 12.0, 20)]     // rmin=0.05 → 0; r=0.2 → (0.2−0.05)/(0.25−0.05)×20 = 15; rmax → 20
    [InlineData("best", 4, 16.0, 20)]        // 0.05/0.25×20 = 4; 0.2/0.25×20 = 16
    public void Score_WhenPeerRelative_ComparesAcrossCohort(string mode, decimal low, decimal mid, decimal high)
    {
        var set = OneCriterion($"method: peer-relative\nmode: {mode}\nratio: a/b\ninputs:\n  - {{ key: a, label: A }}\n  - {{ key: b, label: B }}");
        var cohort = ScoringEngine.Score(set,
        [
            new UnitValues("XA-1", V(("1.1.a", 5), ("1.1.b", 100))),
            new UnitValues("XA-2", V(("1.1.a", 17), ("1.1.b", 100))),
            new UnitValues("XA-3", V(("1.1.a", 25), ("1.1.b", 100))),
            new UnitValues("XA-4", V(("1.1.a", 25))),
        ]);
        Assert.Equal(low, cohort.Unit("XA-1").Node("1.1").Points);
        Assert.Equal(mode == "min-max" ? 12m : 13.6m, cohort.Unit("XA-2").Node("1.1").Points);
        Assert.Equal(high, cohort.Unit("XA-3").Node("1.1").Points);
        Assert.Equal(0m, cohort.Unit("XA-4").Node("1.1").Points);
        Assert.Contains("Missing", cohort.Unit("XA-4").Node("1.1").Flags);
        _ = mid;
    }

    [Fact]
    public void Score_WhenPeerRelativeAllEqual_GivesMaxWhenPositive()
    {
        var set = OneCriterion("method: peer-relative\nmode: min-max");
        var cohort = ScoringEngine.Score(set, [new UnitValues("A", V(("1.1", 7))), new UnitValues("B", V(("1.1", 7)))]);
        Assert.All(cohort.Units, u => Assert.Equal(20m, u.Total));
        var zero = ScoringEngine.Score(set, [new UnitValues("A", V(("1.1", 0))), new UnitValues("B", V(("1.1", 0)))]);
        Assert.All(zero.Units, u => Assert.Equal(0m, u.Total));
    }

    [Fact]
    public void Score_WhenPeerChangesFigures_OtherUnitPointsChange()
    {
        // DOMAIN.md §4a: peer-relative points change when a peer's figures change.
        var set = OneCriterion("method: peer-relative\nmode: best");
        var before = ScoringEngine.Score(set, [new UnitValues("A", V(("1.1", 10))), new UnitValues("B", V(("1.1", 20)))]);
        var after = ScoringEngine.Score(set, [new UnitValues("A", V(("1.1", 10))), new UnitValues("B", V(("1.1", 40)))]);
        Assert.Equal(10m, before.Unit("A").Total);
        Assert.Equal(5m, after.Unit("A").Total);
    }

    [Fact]
    public void Score_WhenRatioIsThird_RoundsPointsToTwoDecimals()
    {
        var node = ScoreOne(OneCriterion(RatioAb), ("1.1.a", 1), ("1.1.b", 3)).Node("1.1");
        Assert.Equal(6.67m, node.Points);
    }
}
