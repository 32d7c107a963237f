using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests.Criteria;

/// <summary>The Hưng Yên commune index (QĐ 3047/QĐ-UBND, transcribed from seed 003's appendix).</summary>
public class HungYenCommune2024Tests
{
    private static CriteriaSet Set => BuiltInLibraries.Load("hung-yen-commune-2024");

    private static UnitResult Score(Dictionary<string, object?> values, Dictionary<string, object?>? general = null) =>
        ScoringEngine.Score(Set, [new UnitValues("XA-LACDAO", values, general)]).Units[0];

    [Fact]
    public void Load_WhenBuiltIn_HasHeaderOfDecision3047()
    {
        var set = Set;
        Assert.Equal("commune", set.Level);
        Assert.Equal("3047/QĐ-UBND", set.Decision.Number);
        Assert.Equal(new DateOnly(2022, 12, 29), set.Decision.Date);
        Assert.Equal(1000m, set.MaxPoints);
        Assert.Equal(1000m, set.Tree.Sum(n => n.Max));
    }

    [Fact]
    public void Load_WhenBuiltIn_HasEightIndicesWithPrintedMax()
    {
        // seed 003 §II: 100/100/100/100/100/200/150/150.
        Assert.Equal([100m, 100m, 100m, 100m, 100m, 200m, 150m, 150m], Set.Tree.Select(n => n.Max));
        Assert.Equal("Thể chế số", Set.Find("2")!.Name);
    }

    [Fact]
    public void Load_WhenBuiltIn_EveryCriterionHasEvidenceSourceAndVerifier()
    {
        Assert.All(Set.AllNodes.Where(n => !n.IsGroup), n =>
        {
            Assert.NotNull(n.Method);
            Assert.NotEmpty(n.Details.Evidence);
            Assert.NotNull(n.Details.DataSource);
            Assert.NotEmpty(n.Details.Coordinating);
        });
        Assert.Equal(19 + 10, Set.General.Count);
    }

    public static TheoryData<string, string, object[], decimal> Clauses() => new()
    {
        // seed 003 §1.1: Phó Bí thư/Phó Chủ tịch → 1/2 × 20.
        { "§1.1 phó", "1.1", ["1.1", 2], 10m },
        // seed 003 §1.3: 5–9 tin, bài → 1/2 × 20; ≥10 → 20; 1–4 → 1/4.
        { "§1.3 7 bài", "1.3", ["1.3", 7], 10m },
        { "§1.3 3 bài", "1.3", ["1.3", 3], 5m },
        // seed 003 §1.5: monthly to under weekly → 1/2.
        { "§1.5 hằng tháng", "1.5", ["1.5", 2], 10m },
        // seed 003 §2.1: đã ban hành → 20.
        { "§2.1", "2.1", ["2.1", true], 20m },
        // seed 003 §3.2: 612/900 hộ × 35 = 23,8.
        { "§3.2", "3.2", ["3.2.a", 612, "3.2.b", 900], 23.8m },
        // seed 003 §4.7: ≥ 50% → max 10; 2/5 = 40% → 40/50 × 10 = 8.
        { "§4.7 40%", "4.7", ["4.7.a", 2, "4.7.b", 5], 8m },
        // seed 003 §6.2: (c+d)/(a+b) = (6+4)/(12+8) = 50% × 40 = 20.
        { "§6.2", "6.2", ["6.2.a", 12, "6.2.b", 8, "6.2.c", 6, "6.2.d", 4], 20m },
        // seed 003 §6.3: (b+c)/a = 580/800 = 72,5% < 80% → 72,5/80 × 40 = 36,25.
        { "§6.3", "6.3", ["6.3.a", 800, "6.3.b", 300, "6.3.c", 280], 36.25m },
        // seed 003 §6.5: band L = 60%: 100% → 40; 75% → 30; 59% → 0.
        { "§6.5 100%", "6.5", ["6.5", 100], 40m },
        { "§6.5 75%", "6.5", ["6.5", 75], 30m },
        { "§6.5 59%", "6.5", ["6.5", 59], 0m },
        // seed 003 §7.1: ≥ 10% → 30; 3/60 = 5% → 5/10 × 30 = 15.
        { "§7.1", "7.1", ["7.1.a", 3, "7.1.b", 60], 15m },
        // seed 003 §7.7: target 0,25%: 0,002/1 tỷ = 0,2% → 0,2/0,25 × 20 = 16.
        { "§7.7", "7.7", ["7.7.a", 0.002m, "7.7.b", 1], 16m },
        // seed 003 §8.1: ≥ 80% → 30.
        { "§8.1", "8.1", ["8.1.a", 900, "8.1.b", 1000], 30m },
    };

    [Theory]
    [MemberData(nameof(Clauses))]
    public void Score_WhenSeedClauseExample_GivesPrintedPoints(string clause, string code, object[] values, decimal expected)
    {
        var dict = values.Chunk(2).ToDictionary(p => (string)p[0], p => (object?)p[1]);
        var node = Score(dict).Node(code);
        Assert.True(expected == node.Points, $"{clause}: {node.Points} ≠ {expected} ({node.Explanation})");
    }

    [Fact]
    public void Score_WhenDenominatorInGeneralInformation_UsesIt()
    {
        // seed 003 §3.1: b = Tổng dân số = general 1.4; 6120/9120 × 35 = 23,49.
        var unit = Score(new() { ["3.1.a"] = 6120 }, new() { ["1.4"] = 9120 });
        Assert.Equal(23.49m, unit.Node("3.1").Points);
        // §4.4: b = công chức (1.9) + viên chức (1.10).
        var staff = Score(new() { ["4.4.a"] = 15 }, new() { ["1.9"] = 20, ["1.10"] = 10 });
        Assert.Equal(5m, staff.Node("4.4").Points);
    }

    [Fact]
    public void Score_WhenThePrintedLetterOfSplitPartsIsGiven_OverridesTheWhole()
    {
        // seed 003 §4.4 prints b = "Tổng số công chức, viên chức", held as b1 (1.9) + b2 (1.10): "4.4.b" is accepted
        // (issue 14) and replaces b1 + b2: 15/60 × 10 = 2,5 whatever the general information says.
        var values = new Dictionary<string, object?> { ["4.4.a"] = 15, ["4.4.b"] = 60 };
        Assert.Empty(ScoringEngine.Validate(Set, [new UnitValues("XA", values)]));
        var staff = Score(values, new() { ["1.9"] = 20, ["1.10"] = 10 });
        Assert.Equal(2.5m, staff.Node("4.4").Points);
        var withoutGeneral = Score(values, new());
        Assert.Equal(2.5m, withoutGeneral.Node("4.4").Points);
        Assert.DoesNotContain(withoutGeneral.Missing, m => m.Contains("1.9") || m.Contains("1.10"));
        // Only the printed letter of parts is accepted, not any letter.
        Assert.NotEmpty(ScoringEngine.Validate(Set, [new UnitValues("XA", new Dictionary<string, object?> { ["4.4.c"] = 1 })]));
    }

    [Fact]
    public void Score_WhenSocialSpendingComparedToHighest_UsesBestMode()
    {
        // seed 003 §8.4: "tỷ lệ của xã/thị trấn với xã/thị trấn chi cao nhất": 50/200 × 30 = 7,5.
        var cohort = ScoringEngine.Score(Set,
        [
            new UnitValues("XA-A", new Dictionary<string, object?> { ["8.4"] = 50 }),
            new UnitValues("XA-B", new Dictionary<string, object?> { ["8.4"] = 200 }),
        ]);
        Assert.Equal(7.5m, cohort.Unit("XA-A").Node("8.4").Points);
        Assert.Equal(30m, cohort.Unit("XA-B").Node("8.4").Points);
    }

    [Fact]
    public void Score_WhenRealisticFullUnit_AddsUpAndListsNothingMissing()
    {
        var general = new Dictionary<string, object?>
        {
            ["1.1"] = "Xã Lạc Đạo", ["1.4"] = 9120, ["1.5"] = 5400, ["1.6"] = 2450, ["1.7"] = 8, ["1.9"] = 21, ["1.10"] = 9,
            ["1.14"] = 48, ["1.15"] = 40, ["1.16"] = 2, ["1.19"] = 30,
        };
        var values = new Dictionary<string, object?>
        {
            ["1.1"] = 1, ["1.2.a"] = 4, ["1.2.b"] = 5, ["1.3"] = 12, ["1.4"] = true, ["1.5"] = 1,
            ["2.1"] = true, ["2.2"] = true, ["2.3"] = true, ["2.4"] = true, ["2.5"] = false,
            ["3.1.a"] = 6120, ["3.2.a"] = 1960, ["3.3"] = true,
            ["4.1"] = true, ["4.2.a"] = 6, ["4.3"] = true, ["4.4.a"] = 24, ["4.5.a"] = 1350, ["4.6.a"] = 2280, ["4.7.a"] = 2, ["4.7.b"] = 3,
            ["5.1"] = true, ["5.2.a"] = 28, ["5.2.b"] = 30,
            ["6.1"] = 90, ["6.2.a"] = 40, ["6.2.b"] = 60, ["6.2.c"] = 30, ["6.2.d"] = 45, ["6.3.a"] = 1200, ["6.3.b"] = 500, ["6.3.c"] = 400,
            ["6.4"] = true, ["6.5"] = 92.5, ["6.6.a"] = 800, ["6.6.b"] = 1000,
            ["7.1.a"] = 3, ["7.2.a"] = 12, ["7.3.a"] = 20, ["7.4.a"] = 46, ["7.5.a"] = 2, ["7.6.a"] = 30, ["7.6.b"] = 1000, ["7.7.a"] = 0.05m,
            ["8.1.a"] = 5200, ["8.1.b"] = 7100, ["8.2.a"] = 2900, ["8.2.b"] = 7100, ["8.3.a"] = 1800, ["8.4"] = 120, ["8.5"] = 80,
        };
        var unit = Score(values, general);
        Assert.Empty(unit.Missing);
        Assert.Null(unit.Level);
        Assert.Equal(48, unit.Nodes.Count);
        foreach (var group in Set.AllNodes.Where(n => n.IsGroup))
            Assert.Equal(group.Children.Sum(c => unit.Node(c.Code).Points), unit.Node(group.Code).Points);
        Assert.Equal(unit.Nodes.Where(n => n.Code.Length == 1).Sum(n => n.Points), unit.Total);
        Assert.All(unit.Nodes, n => Assert.InRange(n.Points, 0, n.Max));
        Assert.InRange(unit.Total, 700m, 1000m);
        // §1.2: 4/5 = 80% × 20 = 16.
        Assert.Equal(16m, unit.Node("1.2").Points);
        Assert.Equal("Tỷ lệ a/b = 4/5 = 80% → 80% × 20 = 16", unit.Node("1.2").Explanation);
    }

    [Fact]
    public void Score_WhenNothingEntered_ListsEveryInputMissing()
    {
        var unit = Score([]);
        Assert.Equal(0m, unit.Total);
        Assert.Contains("general:1.4", unit.Missing);
        Assert.Contains("6.2.c", unit.Missing);
        Assert.Contains("2.1", unit.Missing);
    }
}
