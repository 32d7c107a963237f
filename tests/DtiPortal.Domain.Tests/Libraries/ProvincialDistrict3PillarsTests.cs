using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests.Libraries;

/// <summary>
/// The district index in three pillars (seed 004: Phụ lục II of a 2021 provincial decision;
/// Bảng 1.1 Chính quyền số 200, Bảng 1.2 Kinh tế số 95, Bảng 1.3 Xã hội số 125 points).
/// Codes are the pillar number followed by the code printed in the pillar's table
/// (Bảng 1.2 "3.1.1" is "2.3.1.1"). The seed prints no formula, so every criterion is
/// scored directly (points typed, 0…max). "line N" = line N of the seed file.
/// </summary>
public class ProvincialDistrict3PillarsTests
{
    private const string Id = "provincial-district-3-pillars-2021";
    private const string ResourceName = "DtiPortal.Criteria." + Id + ".yaml";

    private static readonly Lazy<CriteriaSet> _set = new(() => BuiltInLibraries.Load(Id));
    private static CriteriaSet Set => _set.Value;

    private static UnitResult Score(Dictionary<string, object?> values) =>
        ScoringEngine.Score(Set, [new UnitValues("H-1", values)]).Units[0];

    private static IEnumerable<CriterionNode> Leaves(CriterionNode node) =>
        node.IsGroup ? node.Children.SelectMany(Leaves) : [node];

    /// <summary>Every scored leaf at its max: a district that types the full points everywhere.</summary>
    private static Dictionary<string, object?> FullMarks() =>
        Set.Tree.SelectMany(Leaves).ToDictionary(n => n.Code, n => (object?)n.Max);

    private static string ReadEmbeddedYaml()
    {
        using var stream = typeof(CriteriaSet).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Không thấy tài nguyên nhúng {ResourceName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // ───────────── loading ─────────────

    [Fact]
    public void Parse_WhenEmbeddedFile_HasNoErrors()
    {
        var result = CriteriaSetLoader.Parse(ReadEmbeddedYaml());

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.True(result.Success);
    }

    [Fact]
    public void Load_WhenBuiltIn_IsDistrictSetOfTheProvincialDecision()
    {
        Assert.Equal(Id, Set.Id);
        Assert.Equal(1, Set.Version);
        Assert.Equal("district", Set.Level);
        // Line 3: "Kèm theo Quyết định số /QĐ-UBND ngày / /2021 của UBND tỉnh" — number and day blank.
        Assert.EndsWith("/QĐ-UBND", Set.Decision.Number);
        Assert.Equal("Ủy ban nhân dân tỉnh", Set.Decision.Issuer);
    }

    [Fact]
    public void Load_WhenBuiltIn_IdIsListed()
    {
        Assert.Contains(Id, BuiltInLibraries.Ids);
    }

    // ───────────── structure ─────────────

    [Theory]
    [InlineData("1", "Trụ cột Chính quyền số", 200)] // line 91 "Tổng cộng 200"
    [InlineData("2", "Trụ cột Kinh tế số", 95)]      // line 497 "Tổng cộng 95"
    [InlineData("3", "Trụ cột Xã hội số", 125)]      // line 716 "Tổng cộng 125"
    public void Pillar_WhenLoaded_HasPrintedMax(string code, string name, int max)
    {
        var pillar = Set.Find(code);

        Assert.NotNull(pillar);
        Assert.Equal(NodeKind.Pillar, pillar.Kind);
        Assert.Equal(name, pillar.Name);
        Assert.Equal(max, pillar.Max);
    }

    [Fact]
    public void MaxPoints_WhenLoaded_IsSumOfThePillars420()
    {
        Assert.Equal(420m, Set.MaxPoints);
        Assert.Equal(new[] { "1", "2", "3" }, Set.Tree.Select(n => n.Code));
        Assert.Equal(420m, Set.Tree.Sum(n => n.Max));
    }

    [Fact]
    public void Groups_WhenLoaded_MaxEqualsSumOfChildren()
    {
        foreach (var group in Set.AllNodes.Where(n => n.IsGroup))
            Assert.True(group.Max == group.Children.Sum(c => c.Max), $"{group.Code}: {group.Max} ≠ {group.Children.Sum(c => c.Max)}");
    }

    [Theory]
    // Section I (lines 9-79): indices, components and criteria per pillar. Xã hội số: the table's 47
    // (line 56) is followed, not the "07" of line 64 (the table prints 8 criteria under Kiến tạo thể chế).
    [InlineData("1", 7, 34, 77)]
    [InlineData("2", 6, 19, 41)]
    [InlineData("3", 7, 20, 47)]
    public void Pillar_WhenLoaded_HasTheCountsOfSectionI(string code, int indices, int components, int scored)
    {
        var pillar = Set.Find(code)!;

        Assert.Equal(indices, pillar.Children.Count);
        Assert.All(pillar.Children, i => Assert.Equal(NodeKind.Index, i.Kind));
        Assert.Equal(components, pillar.Children.Sum(i => i.Children.Count));
        Assert.Equal(scored, Leaves(pillar).Count());
    }

    [Fact]
    public void Tree_WhenLoaded_IsPillarIndexComponentCriterion()
    {
        foreach (var pillar in Set.Tree)
        {
            Assert.Equal(NodeKind.Pillar, pillar.Kind);
            foreach (var index in pillar.Children)
            {
                Assert.Equal(NodeKind.Index, index.Kind);
                Assert.StartsWith(pillar.Code + ".", index.Code);
                foreach (var component in index.Children)
                {
                    Assert.Equal(NodeKind.Component, component.Kind);
                    Assert.StartsWith(index.Code + ".", component.Code);
                    foreach (var criterion in component.Children)
                    {
                        Assert.Equal(NodeKind.Criterion, criterion.Kind);
                        Assert.StartsWith(component.Code + ".", criterion.Code);
                        Assert.False(criterion.IsGroup);
                    }
                }
            }
        }
    }

    [Fact]
    public void Tree_WhenLoaded_OnlyXaHoiSoSafetyComponentsAreScoredDirectly()
    {
        // Bảng 1.3 lines 858-865: components 6.1-6.3 carry no criteria ("03 chỉ số thành phần, với 03 tiêu chí", line 74).
        var leafComponents = Set.AllNodes.Where(n => n.Kind == NodeKind.Component && !n.IsGroup).Select(n => n.Code);

        Assert.Equal(new[] { "3.6.1", "3.6.2", "3.6.3" }, leafComponents);
        Assert.Equal(162, Set.AllNodes.Count(n => n.Kind == NodeKind.Criterion));
    }

    [Fact]
    public void Criteria_WhenLoaded_AreAllDirectWithPositiveMax()
    {
        var leaves = Set.Tree.SelectMany(Leaves).ToList();

        Assert.Equal(165, leaves.Count);
        Assert.All(leaves, n =>
        {
            Assert.Equal(MethodKind.Direct, n.Method?.Kind);
            Assert.True(n.Max > 0, n.Code);
            Assert.Empty(n.Inputs);
        });
    }

    [Theory]
    // Readings of the OCR recorded in the YAML comments; each pins the max chosen.
    [InlineData("1.1.2.4", 3)]  // line 133: not printed, 12 − 3 − 3 − 3
    [InlineData("1.1.3.1", 4)]  // lines 145-160: 10 over three unprinted criteria → 4, 3, 3
    [InlineData("1.2.1", 6)]    // line 172 prints "16": the "1" is the table rule (27 could not hold 16 + 10 + 4 criteria)
    [InlineData("1.2.4", 9)]    // budget component, 3 × 3
    [InlineData("1.3.2.3", 2)]  // line 265 prints "5": 2 read as 5
    [InlineData("1.5.7.1", 5)]  // lines 360-362: one merged "10" over 5.7.1 and 5.7.2
    [InlineData("1.5.10.1", 2)] // line 378 prints "5": 2 read as 5
    [InlineData("1.7.3", 9)]    // not printed: 32 − 5 − 18
    [InlineData("2.1.2", 9)]    // not printed: (25 − 10) over five criteria, 3 each
    [InlineData("2.2.2", 2)]    // not printed: 18 − 13 − 3
    [InlineData("2.3.1.1", 2)]  // line 621 prints "5": 2 read as 5
    [InlineData("2.5.7", 2)]    // 16 over the nine unprinted criteria of 5.3-5.7 → the last two get 1
    [InlineData("2.6", 3)]      // not printed: 95 − 25 − 18 − 8 − 12 − 29
    [InlineData("3.1.1.3", 2)]  // line 724 prints "5": 2 read as 5
    [InlineData("3.1.2.2", 3)]  // line 746 prints "|"
    [InlineData("3.6.2", 5)]    // line 860 prints "."
    [InlineData("3.7.1.7", 2)]  // line 882 prints "5": 2 read as 5
    [InlineData("3.7.1.8", 2)]  // line 884 prints "5": 2 read as 5
    public void Node_WhenSeedIsAmbiguous_HasTheChosenMax(string code, int max)
    {
        Assert.Equal(max, Set.Find(code)!.Max);
    }

    // ───────────── direct scoring ─────────────

    [Theory]
    [InlineData("1.1.1.3", 0)]
    [InlineData("1.1.1.3", 2.5)]
    [InlineData("1.1.1.3", 6)]
    [InlineData("2.1.1.3", 4)]
    [InlineData("3.6.1", 1)]
    public void Direct_WhenPointsWithinZeroToMax_KeepsThem(string code, double typed)
    {
        var node = Score(new() { [code] = typed }).Node(code);

        Assert.Equal((decimal)typed, node.Points);
        Assert.DoesNotContain("AboveMax", node.Flags);
    }

    [Theory]
    [InlineData("1.1.1.3", 7, 6)]    // Bảng 1.1 1.1.3, max 6
    [InlineData("1.5.2.1", 100, 6)]  // Bảng 1.1 5.2.1, max 6 — a percentage typed as points
    [InlineData("1.3.2.3", 5, 2)]    // the OCR's "5" (line 265) typed by a unit: capped at the max 2
    [InlineData("3.7.1.8", 5, 2)]    // line 884, same
    public void Direct_WhenPointsAboveMax_CapsAtMaxWithFlag(string code, double typed, int max)
    {
        var node = Score(new() { [code] = typed }).Node(code);

        Assert.Equal(max, node.Points);
        Assert.Contains("AboveMax", node.Flags);
    }

    [Fact]
    public void Direct_WhenPointsNegative_ScoresZeroWithFlag()
    {
        var node = Score(new() { ["1.1.1.1"] = -1 }).Node("1.1.1.1");

        Assert.Equal(0m, node.Points);
        Assert.Contains("NegativeInput", node.Flags);
    }

    [Fact]
    public void Direct_WhenNothingTyped_ScoresZeroAndListsEveryCriterionMissing()
    {
        var unit = Score([]);

        Assert.Equal(0m, unit.Total);
        Assert.Equal(165, unit.Missing.Count);
        Assert.Contains("1.1.1.1", unit.Missing);
        Assert.Contains("3.6.2", unit.Missing);
        Assert.Contains("Missing", unit.Node("2.6.1.1").Flags);
    }

    // ───────────── scored cases, computed by hand from the seed ─────────────

    [Fact]
    public void Score_WhenEveryCriterionAtMax_Is420AndEachPillarAtItsMax()
    {
        var unit = Score(FullMarks());

        Assert.Equal(420m, unit.Total);
        Assert.Equal(200m, unit.Node("1").Points);
        Assert.Equal(95m, unit.Node("2").Points);
        Assert.Equal(125m, unit.Node("3").Points);
        Assert.Empty(unit.Missing);
    }

    [Fact]
    public void Score_WhenCqsPropagandaPartlyDone_ComponentAndIndexAddUp()
    {
        // Bảng 1.1 §1.1 (lines 93-106): 1.1.1 chuyên mục (max 2) = 2, 1.1.2 tài liệu (max 2) = 1,
        // 1.1.3 hội nghị (max 6) = 4 → 7/10; §1.2.1 trưởng ban chỉ đạo (max 3) = 3 → index 1 = 10/32.
        var unit = Score(new() { ["1.1.1.1"] = 2, ["1.1.1.2"] = 1, ["1.1.1.3"] = 4, ["1.1.2.1"] = 3 });

        Assert.Equal(7m, unit.Node("1.1.1").Points);
        Assert.Equal(3m, unit.Node("1.1.2").Points);
        Assert.Equal(10m, unit.Node("1.1").Points);
        Assert.Equal(10m, unit.Node("1").Points);
        Assert.Equal(10m, unit.Total);
    }

    [Fact]
    public void Score_WhenOnlineServicesTyped_MergedCellSplitsFiveAndFive()
    {
        // Bảng 1.1 §5.7 (lines 359-362): DVCTT mức độ 3 = 5 (its max), mức độ 4 = 3.5 → 8.5/10;
        // §5.8 (lines 363-367): mức độ 3 có HSTT = 6 typed → capped at 5, mức độ 4 = 0 → 5/10;
        // §5.9 (lines 368-374): HSTT cấp huyện 4 + cấp xã 2.5 = 6.5/10. Index 5 = 20.
        var unit = Score(new()
        {
            ["1.5.7.1"] = 5, ["1.5.7.2"] = 3.5m,
            ["1.5.8.1"] = 6, ["1.5.8.2"] = 0,
            ["1.5.9.1"] = 4, ["1.5.9.2"] = 2.5m,
        });

        Assert.Equal(8.5m, unit.Node("1.5.7").Points);
        Assert.Equal(5m, unit.Node("1.5.8").Points);
        Assert.Contains("AboveMax", unit.Node("1.5.8.1").Flags);
        Assert.Equal(6.5m, unit.Node("1.5.9").Points);
        Assert.Equal(20m, unit.Node("1.5").Points);
    }

    [Fact]
    public void Score_WhenCqsInstitutionsAllAtMax_IndexIs27()
    {
        // Bảng 1.1 §2 Kiến tạo thể chế (line 164, 27 points) under the reading 2.1 = 6, 2.2 = 10, 2.3 = 2, 2.4 = 9:
        // 2.1.1-2.1.4 = 2 + 2 + 1 + 1, 2.2.1-2.2.2 = 5 + 5, 2.3.1 = 2, 2.4.1-2.4.3 = 3 + 3 + 3.
        var unit = Score(new()
        {
            ["1.2.1.1"] = 2, ["1.2.1.2"] = 2, ["1.2.1.3"] = 1, ["1.2.1.4"] = 1,
            ["1.2.2.1"] = 5, ["1.2.2.2"] = 5,
            ["1.2.3.1"] = 2,
            ["1.2.4.1"] = 3, ["1.2.4.2"] = 3, ["1.2.4.3"] = 3,
        });

        Assert.Equal(6m, unit.Node("1.2.1").Points);
        Assert.Equal(10m, unit.Node("1.2.2").Points);
        Assert.Equal(27m, unit.Node("1.2").Points);
    }

    [Fact]
    public void Score_WhenCqsSecurityTyped_IndexSumsFiveComponents()
    {
        // Bảng 1.1 §6 An toàn, an ninh mạng (lines 393-411, 25 points): 6.1.1 mô hình 04 lớp = 5,
        // 6.2.1 cấp độ = 2.5, 6.3.1 phòng chống mã độc = 5, 6.4.1 xử lý tấn công = 0,
        // 6.5.1 sự cố tự xử lý = 3, 6.5.2 diễn tập = 1 → 16.5/25.
        var unit = Score(new()
        {
            ["1.6.1.1"] = 5, ["1.6.2.1"] = 2.5m, ["1.6.3.1"] = 5, ["1.6.4.1"] = 0, ["1.6.5.1"] = 3, ["1.6.5.2"] = 1,
        });

        Assert.Equal(4m, unit.Node("1.6.5").Points);
        Assert.Equal(16.5m, unit.Node("1.6").Points);
        Assert.Equal(16.5m, unit.Node("1").Points);
    }

    [Fact]
    public void Score_WhenKtsInfrastructureTyped_IndexIsAtMostEight()
    {
        // Bảng 1.2 §3 (lines 619-638, 8 points): 3.1.1 điểm phục vụ bưu chính có băng rộng = 2 (max 2,
        // the "5" of line 621), 3.1.2 = 1; 3.2.1 4G = 1, 3.2.2 5G = 0, 3.2.3 = 1, 3.2.4 = 0.5; 3.3.1 = 1 → 6.5/8.
        var unit = Score(new()
        {
            ["2.3.1.1"] = 2, ["2.3.1.2"] = 1,
            ["2.3.2.1"] = 1, ["2.3.2.2"] = 0, ["2.3.2.3"] = 1, ["2.3.2.4"] = 0.5m,
            ["2.3.3.1"] = 1,
        });

        Assert.Equal(3m, unit.Node("2.3.1").Points);
        Assert.Equal(2.5m, unit.Node("2.3.2").Points);
        Assert.Equal(6.5m, unit.Node("2.3").Points);
        Assert.Equal(6.5m, unit.Node("2").Points);
    }

    [Fact]
    public void Score_WhenKtsDigitalEconomyTyped_ComponentsFollowTheEvenSplit()
    {
        // Bảng 1.2 §5 (lines 655-700, 29 points): 5.1.1-5.1.4 = 2 each (max 2, line 657-663) → 8;
        // 5.2.1 GRDP = 3 (max 3), 5.2.2 = 1 → 4/5; 5.7.1 thanh toán điện không tiền mặt = 1,
        // 5.7.2 tiết kiệm điện typed 2 → capped at 1 → 5.7 = 2/2. Index 5 = 14.
        var unit = Score(new()
        {
            ["2.5.1.1"] = 2, ["2.5.1.2"] = 2, ["2.5.1.3"] = 2, ["2.5.1.4"] = 2,
            ["2.5.2.1"] = 3, ["2.5.2.2"] = 1,
            ["2.5.7.1"] = 1, ["2.5.7.2"] = 2,
        });

        Assert.Equal(8m, unit.Node("2.5.1").Points);
        Assert.Equal(4m, unit.Node("2.5.2").Points);
        Assert.Equal(2m, unit.Node("2.5.7").Points);
        Assert.Contains("AboveMax", unit.Node("2.5.7.2").Flags);
        Assert.Equal(14m, unit.Node("2.5").Points);
    }

    [Fact]
    public void Score_WhenXhsSafetyComponentsTyped_LeafComponentsScoreDirectly()
    {
        // Bảng 1.3 §6 (lines 857-865, 15 points): 6.1 người dân tập huấn ATTT = 5, 6.2 dữ liệu cá nhân = 2.5,
        // 6.3 bảo vệ trẻ em = 0 → 7.5/15.
        var unit = Score(new() { ["3.6.1"] = 5, ["3.6.2"] = 2.5m, ["3.6.3"] = 0 });

        Assert.Equal(5m, unit.Node("3.6.1").Points);
        Assert.Equal(7.5m, unit.Node("3.6").Points);
        Assert.Equal(7.5m, unit.Node("3").Points);
        Assert.DoesNotContain("3.6.3", unit.Missing);
    }

    [Fact]
    public void Score_WhenXhsTrainingTyped_SixteenPointComponentCapsEachCriterionAtTwo()
    {
        // Bảng 1.3 §7.1 (lines 867-885, 16 points): 7.1.1-7.1.6 = 2 each → 12; 7.1.7 and 7.1.8 typed 5
        // (as the OCR prints them) → capped at 2 each → 16/16; §7.2 (lines 886-892): 7.2.1 = 3, 7.2.2 = 1.5 → 4.5/6.
        // Index 7 = 20.5/22.
        var unit = Score(new()
        {
            ["3.7.1.1"] = 2, ["3.7.1.2"] = 2, ["3.7.1.3"] = 2, ["3.7.1.4"] = 2,
            ["3.7.1.5"] = 2, ["3.7.1.6"] = 2, ["3.7.1.7"] = 5, ["3.7.1.8"] = 5,
            ["3.7.2.1"] = 3, ["3.7.2.2"] = 1.5m,
        });

        Assert.Equal(16m, unit.Node("3.7.1").Points);
        Assert.Equal(4.5m, unit.Node("3.7.2").Points);
        Assert.Equal(20.5m, unit.Node("3.7").Points);
    }

    [Fact]
    public void Score_WhenThreePillarsPartlyTyped_TotalIsSumOfPillars()
    {
        // Bảng 1.1 §4.1 (lines 299-322): four criteria of 2 → 2 + 2 + 1 + 0 = 5/8;
        // Bảng 1.2 §6.1.1 (lines 701-707, derived max 3) = 3; Bảng 1.3 §5.4 (lines 851-856):
        // 5.4.1 nông dân tập huấn = 3, 5.4.2 HTX thương mại điện tử = 4 → 7/7. Total 5 + 3 + 7 = 15.
        var unit = Score(new()
        {
            ["1.4.1.1"] = 2, ["1.4.1.2"] = 2, ["1.4.1.3"] = 1, ["1.4.1.4"] = 0,
            ["2.6.1.1"] = 3,
            ["3.5.4.1"] = 3, ["3.5.4.2"] = 4,
        });

        Assert.Equal(5m, unit.Node("1").Points);
        Assert.Equal(3m, unit.Node("2").Points);
        Assert.Equal(7m, unit.Node("3").Points);
        Assert.Equal(15m, unit.Total);
        Assert.Equal(165 - 7, unit.Missing.Count);
    }

    [Fact]
    public void Validate_WhenValueGivenForAGroupCode_ReportsIt()
    {
        // "1.1.1" is a component (Bảng 1.1 §1.1); only its criteria 1.1.1.1-1.1.1.3 take points.
        var errors = ScoringEngine.Validate(Set, [new UnitValues("H-1", new Dictionary<string, object?> { ["1.1.1"] = 5 })]);

        Assert.NotEmpty(errors);
    }
}
