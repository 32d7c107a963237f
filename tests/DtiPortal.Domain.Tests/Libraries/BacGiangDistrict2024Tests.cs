using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests.Libraries;

/// <summary>
/// The Bắc Giang district DTI (Quyết định 2937/QĐ-UBND ngày 17/9/2022) as assigned by Sơn Động's
/// plan 64/KH-UBND of 20/3/2024 — seed 000, Phụ lục — transcribed into
/// Criteria/Libraries/bac-giang-district-2024.yaml. "seed 000 §x.y" is the appendix row x.y;
/// every expected score is computed by hand from the formula printed in that row.
/// </summary>
public class BacGiangDistrict2024Tests
{
    private const string Id = "bac-giang-district-2024";
    private const string Unit = "H-SONDONG";
    private static readonly Lazy<CriteriaSet> LazySet = new(() => BuiltInLibraries.Load(Id));
    private static CriteriaSet Set => LazySet.Value;

    private static UnitResult Score(Dictionary<string, object?> values) =>
        ScoringEngine.Score(Set, new[] { new UnitValues(Unit, values) }).Units[0];

    private static decimal Points(string code, Dictionary<string, object?> values) =>
        Score(values).Node(code).Points;

    private static string EmbeddedYaml()
    {
        using var stream = typeof(CriteriaSet).Assembly.GetManifestResourceStream($"DtiPortal.Criteria.{Id}.yaml")
            ?? throw new InvalidOperationException("library not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<CriterionNode> Leaves(IEnumerable<CriterionNode> nodes) =>
        nodes.SelectMany(n => n.IsGroup ? Leaves(n.Children) : new[] { n });

    // ───────────── the set as a whole ─────────────

    [Fact]
    public void Parse_WhenEmbeddedLibraryIsRead_HasNoErrors()
    {
        var result = CriteriaSetLoader.Parse(EmbeddedYaml());

        Assert.Empty(result.Errors);
        Assert.True(result.Success);
        Assert.Equal(Id, result.Set!.Id);
    }

    [Fact]
    public void Ids_WhenListed_ContainsTheBacGiangDistrictSet()
    {
        Assert.Contains(Id, BuiltInLibraries.Ids);
    }

    [Fact]
    public void Load_WhenBuiltIn_IsTheDistrictSetOf1000PointsOfDecision2937()
    {
        Assert.Equal("district", Set.Level);
        Assert.Equal(2024, Set.Year);
        Assert.Equal(1, Set.Version);
        Assert.Equal(1000m, Set.MaxPoints);
        Assert.Equal(1000m, Set.Tree.Sum(n => n.Max));
        Assert.Empty(Set.Levels);
        // seed 000 line 10: "Quyết định số 2937/QĐ-UBND ngày 17/9/2022 của Chủ tịch UBND tỉnh Bắc Giang".
        Assert.Equal("2937/QĐ-UBND", Set.Decision.Number);
        Assert.Equal(new DateOnly(2022, 9, 17), Set.Decision.Date);
        Assert.Contains("Bắc Giang", Set.Decision.Issuer);
    }

    [Theory]
    // seed 000 lines 313, 396, 442, 522, 650, 851, 1012 print indices 2–8; index 1's header
    // row is lost on the damaged first page and restored as 1000 − 900 = 100.
    [InlineData("1", "Nhận thức số", 100)]
    [InlineData("2", "Thể chế số", 100)]
    [InlineData("3", "Hạ tầng số", 100)]
    [InlineData("4", "Nhân lực số", 100)]
    [InlineData("5", "An toàn thông tin mạng", 100)]
    [InlineData("6", "Hoạt động chính quyền số", 200)]
    [InlineData("7", "Hoạt động kinh tế số", 150)]
    [InlineData("8", "Hoạt động xã hội số", 150)]
    public void Load_WhenMainIndexRead_HasPrintedNameAndMax(string code, string name, int max)
    {
        var node = Set.Find(code);

        Assert.NotNull(node);
        Assert.Equal(NodeKind.Index, node.Kind);
        Assert.Equal(name, node.Name);
        Assert.Equal(max, node.Max);
        Assert.Equal(node.Max, node.Children.Sum(c => c.Max));
    }

    [Fact]
    public void Load_WhenCountingCriteria_Has69ScoredRowsIn8Indices()
    {
        // Scored rows: 6 + 9 + 4 + 8 + (7 + 4 under 5.8) + (9 + 2 + 2 + 2 under 6.4/6.8/6.9) + 10 + 6.
        Assert.Equal(8, Set.Tree.Count);
        Assert.Equal(69, Leaves(Set.Tree).Count());
        Assert.Equal(81, Set.AllNodes.Count);
    }

    [Fact]
    public void Load_WhenEveryGroupIsChecked_ChildrenSumToItsMax()
    {
        foreach (var group in Set.AllNodes.Where(n => n.IsGroup))
            Assert.True(group.Max == group.Children.Sum(c => c.Max), $"{group.Code}: {group.Max} ≠ Σ {group.Children.Sum(c => c.Max)}");
    }

    [Theory]
    // seed 000 §5.8 (lines 610–649): 20 = 4 × 5; §6.4 (684–698), §6.8 (730–741), §6.9 (742–768): 10 = 5 + 5.
    [InlineData("5.8", 20, "5.8.1", "5.8.2", "5.8.3", "5.8.4")]
    [InlineData("6.4", 10, "6.4.1", "6.4.2")]
    [InlineData("6.8", 10, "6.8.1", "6.8.2")]
    [InlineData("6.9", 10, "6.9.1", "6.9.2")]
    public void Load_WhenThreeLevelRowRead_HasPrintedChildren(string code, int max, params string[] children)
    {
        var node = Set.Find(code)!;

        Assert.Equal(max, node.Max);
        Assert.Equal(children, node.Children.Select(c => c.Code));
        Assert.All(node.Children, c => Assert.Equal(NodeKind.Criterion, c.Kind));
    }

    [Theory]
    // The "Cơ quan chủ trì" and "Quý / Cả năm" columns of seed 000, as printed.
    [InlineData("1.4", "Văn phòng HĐND và UBND huyện", "year")]            // lines 286, 297 "Cả năm"
    [InlineData("1.5", "Phòng Văn hóa và Thông tin", "Q1,Q2")]             // line 304 "Quý I, II"
    [InlineData("2.1", "Phòng Văn hóa và Thông tin", "Q1")]                // line 314 "Quý I"
    [InlineData("2.6", "Phòng Tài chính - Kế hoạch", "Q1,Q2,Q3")]          // lines 361–362 "Quý I, II, III"
    [InlineData("2.9", "Phòng Kinh tế - Hạ tầng", "Q1,Q2")]                // lines 385–394
    [InlineData("4.3", "Phòng Nội vụ", "Q1,Q2,Q3")]                        // line 455 (quarters illegible)
    [InlineData("4.8", "Phòng Giáo dục và Đào tạo", "Q1,Q2,Q3")]           // lines 515–517
    [InlineData("6.4.1", "Văn phòng HĐND và UBND huyện", "Q2")]            // line 693 "Quý II"
    [InlineData("6.5", "Văn phòng HĐND và UBND huyện", "Q2,Q3")]           // line 701 "Quý II, III"
    [InlineData("7.6", "Chi cục Thuế Lục Ngạn - Sơn Động", "year")]        // lines 940–943
    [InlineData("7.7", "Bưu điện huyện", "year")]                          // line 967
    [InlineData("8.1", "Công an huyện", "year")]                           // line 1017
    [InlineData("8.2", "Các ngân hàng thương mại trên địa bàn huyện", "year")] // lines 1023–1027
    public void Load_WhenCriterionRead_HasPrintedLeadAndPeriod(string code, string lead, string period)
    {
        var node = Set.Find(code)!;

        Assert.Equal(lead, node.Details.Lead);
        Assert.Equal(period.Split(','), node.Details.Period);
    }

    [Theory]
    [InlineData("1.4", MethodKind.CountTiers)]
    [InlineData("1.6", MethodKind.Choice)]
    [InlineData("2.1", MethodKind.YesNo)]
    [InlineData("3.1", MethodKind.Ratio)]
    [InlineData("3.3", MethodKind.PeerRelative)]
    [InlineData("4.7", MethodKind.PeerRelative)]
    [InlineData("5.8.1", MethodKind.RatioSteps)]
    [InlineData("6.3", MethodKind.Band)]
    [InlineData("6.7", MethodKind.RatioTarget)]
    [InlineData("1.1", MethodKind.Direct)]
    public void Load_WhenCriterionRead_HasPrintedMethod(string code, MethodKind kind)
    {
        Assert.Equal(kind, Set.Find(code)!.Method!.Kind);
    }

    [Fact]
    public void Load_WhenTiersOf14Read_AreAbsolutePoints()
    {
        // seed 000 §1.4 (lines 291–301) prints points, not fractions: 20 / 15 / 10 / 5.
        var tiers = Set.Find("1.4")!.Method!.Thresholds;

        Assert.Equal(new decimal[] { 50, 40, 30, 10 }, tiers.Select(t => t.Min));
        Assert.Equal(new decimal?[] { 20, 15, 10, 5 }, tiers.Select(t => t.Points));
        Assert.All(tiers, t => Assert.Null(t.Fraction));
    }

    // ───────────── scored cases, one per method kind (and the formulas) ─────────────

    [Theory]
    // seed 000 §1.4: "Từ 50 trở lên: điểm tối đa (20); từ 40 đến dưới 50: 15 điểm; từ 30 đến
    // dưới 40: 10 điểm; từ 10 đến dưới 30: 5 điểm; chưa có chuyên mục: 0 điểm" → absolute points.
    [InlineData(55, 20)]
    [InlineData(50, 20)]
    [InlineData(45, 15)]
    [InlineData(30, 10)]
    [InlineData(12, 5)]
    [InlineData(9, 0)]
    [InlineData(0, 0)]
    public void Score_WhenPortalArticlesCounted_GivesAbsoluteTierPoints(int articles, int expected)
    {
        Assert.Equal(expected, Points("1.4", new() { ["1.4"] = articles }));
    }

    [Theory]
    // seed 000 §2.1: "Đã ban hành: điểm tối đa (10); chưa ban hành: 0 điểm".
    [InlineData(true, 10)]
    [InlineData(false, 0)]
    public void Score_WhenPartyResolutionIssuedOrNot_GivesYesNoPoints(bool issued, int expected)
    {
        Assert.Equal(expected, Points("2.1", new() { ["2.1"] = issued }));
    }

    [Theory]
    // seed 000 §1.6: "từ 1 lần/1 tuần: điểm tối đa; từ 1 tháng/1 lần đến dưới 1 lần/1 tuần:
    // 1/2 điểm tối đa; dưới 1 tháng/1 lần: 0 điểm" (max 10).
    [InlineData(1, 10)]
    [InlineData(2, 5)]
    [InlineData(3, 0)]
    public void Score_WhenBroadcastFrequencyChosen_GivesOptionShare(int option, int expected)
    {
        Assert.Equal(expected, Points("1.6", new() { ["1.6"] = option }));
    }

    [Fact]
    public void Score_WhenSmartphoneRatioIs80Percent_Gives20Of25()
    {
        // seed 000 §3.1: Tỷ lệ = a/b = 24 000 / 30 000 = 80%; Điểm = 0,8 × 25 = 20.
        Assert.Equal(20m, Points("3.1", new() { ["3.1.a"] = 24000, ["3.1.b"] = 30000 }));
    }

    [Fact]
    public void Score_WhenOnlineServicesFormulaApplied_GivesShareOf25()
    {
        // seed 000 §6.10: Tỷ lệ = (c+d)/(a+b) = (30+15)/(40+20) = 75%; Điểm = 0,75 × 25 = 18,75.
        var points = Points("6.10", new() { ["6.10.a"] = 40, ["6.10.b"] = 20, ["6.10.c"] = 30, ["6.10.d"] = 15 });

        Assert.Equal(18.75m, points, 2);
    }

    [Theory]
    // seed 000 §5.8.1: Tỷ lệ = (a+b)/c; "Mức 1 ≥ 10% (điểm tối đa); Mức 2 ≥ 7% (70% điểm);
    // Mức 3 ≥ 3% (30% điểm); Mức 4 < 3% (0 điểm)", max 5 (">" of the OCR read as "≥").
    [InlineData(12, 3, 200, 3.5)]   // 15/200 = 7,5% → 70% × 5
    [InlineData(15, 5, 200, 5)]     // 20/200 = 10% → 5
    [InlineData(4, 2, 200, 1.5)]    // 6/200 = 3% → 30% × 5
    [InlineData(4, 1, 200, 0)]      // 5/200 = 2,5% → 0
    public void Score_WhenSecuritySpendingShareStepped_GivesStepFraction(int a, int b, int c, double expected)
    {
        var points = Points("5.8.1", new() { ["5.8.1.a"] = a, ["5.8.1.b"] = b, ["5.8.1.c"] = c });

        Assert.Equal((decimal)expected, points, 2);
    }

    [Theory]
    // seed 000 §6.3: Tỷ lệ = b/a; "= 100%: điểm tối đa; 80% ≤ Tỷ lệ < 100%: Tỷ lệ × điểm tối đa;
    // < 80%: 0 điểm" (max 30).
    [InlineData(100, 100, 30)]
    [InlineData(100, 90, 27)]
    [InlineData(100, 80, 24)]
    [InlineData(100, 79, 0)]
    public void Score_WhenDocumentHandlingBanded_GivesBandPoints(int a, int b, int expected)
    {
        var points = Points("6.3", new() { ["6.3.a"] = a, ["6.3.b"] = b });

        Assert.Equal(expected, points, 2);
    }

    [Theory]
    // seed 000 §6.7: Tỷ lệ = (a+b)/c; "≥ 2%: điểm tối đa; < 2%: Tỷ lệ/2% × điểm tối đa" (max 15).
    [InlineData(500, 300, 80000, 7.5)]   // 800/80 000 = 1% → 1/2 × 15
    [InlineData(500, 300, 40000, 15)]    // 2% → 15
    [InlineData(900, 300, 40000, 15)]    // 3% → 15
    public void Score_WhenDigitalGovernmentBudgetAgainstTarget_GivesTargetShare(int a, int b, int c, double expected)
    {
        var points = Points("6.7", new() { ["6.7.a"] = a, ["6.7.b"] = b, ["6.7.c"] = c });

        Assert.Equal((decimal)expected, points, 2);
    }

    [Fact]
    public void Score_WhenOnlineFilesBelow80PercentTarget_GivesProportionalPoints()
    {
        // seed 000 §6.11: Tỷ lệ = (b+c)/a = (300+300)/1000 = 60%; < 80% → 60/80 × 25 = 18,75.
        var points = Points("6.11", new() { ["6.11.a"] = 1000, ["6.11.b"] = 300, ["6.11.c"] = 300 });

        Assert.Equal(18.75m, points, 2);
    }

    [Fact]
    public void Score_WhenDigitalEconomyInvestmentBelowQuarterPercent_GivesHalf()
    {
        // seed 000 §7.9: Tỷ lệ = a/b = 1/800 = 0,125%; < 0,25% → 0,125/0,25 × 15 = 7,5.
        var points = Points("7.9", new() { ["7.9.a"] = 1, ["7.9.b"] = 800 });

        Assert.Equal(7.5m, points, 2);
    }

    [Fact]
    public void Score_WhenPortalProvidesPartOfRequiredInformation_GivesRatioOfMax()
    {
        // seed 000 §6.1: "Không đầy đủ: Tỷ lệ × Điểm tối đa" → 85% × 30 = 25,5.
        Assert.Equal(25.5m, Points("6.1", new() { ["6.1"] = 85 }), 2);
    }

    [Fact]
    public void Score_WhenThreeDistrictsUseSharedPlatforms_GivesMinMaxPoints()
    {
        // seed 000 §3.3: "Min-Max: đơn vị nào ứng dụng nhiều nền tảng số nhất thì điểm tối đa và
        // giảm dần" (max 25): 2, 5, 8 platforms → 0; (5−2)/(8−2) × 25 = 12,5; 25.
        var cohort = ScoringEngine.Score(Set, new[]
        {
            new UnitValues("H-SONDONG", new Dictionary<string, object?> { ["3.3"] = 2 }),
            new UnitValues("H-LUCNGAN", new Dictionary<string, object?> { ["3.3"] = 5 }),
            new UnitValues("H-YENTHE", new Dictionary<string, object?> { ["3.3"] = 8 }),
        });

        Assert.Equal(0m, cohort.Unit("H-SONDONG").Node("3.3").Points, 2);
        Assert.Equal(12.5m, cohort.Unit("H-LUCNGAN").Node("3.3").Points, 2);
        Assert.Equal(25m, cohort.Unit("H-YENTHE").Node("3.3").Points, 2);
    }

    [Fact]
    public void Score_WhenThreeDistrictsOneTouchRatiosCompared_GivesMinMaxOfRatio()
    {
        // seed 000 §4.7: Tỷ lệ = a/b, "Min-Max dựa vào tỷ lệ a/b cao nhất thì điểm tối đa và giảm
        // dần" (max 15): 10%, 30%, 50% → 0; (30−10)/(50−10) × 15 = 7,5; 15.
        var cohort = ScoringEngine.Score(Set, new[]
        {
            new UnitValues("H-SONDONG", new Dictionary<string, object?> { ["4.7.a"] = 100, ["4.7.b"] = 1000 }),
            new UnitValues("H-LUCNGAN", new Dictionary<string, object?> { ["4.7.a"] = 300, ["4.7.b"] = 1000 }),
            new UnitValues("H-YENTHE", new Dictionary<string, object?> { ["4.7.a"] = 500, ["4.7.b"] = 1000 }),
        });

        Assert.Equal(0m, cohort.Unit("H-SONDONG").Node("4.7").Points, 2);
        Assert.Equal(7.5m, cohort.Unit("H-LUCNGAN").Node("4.7").Points, 2);
        Assert.Equal(15m, cohort.Unit("H-YENTHE").Node("4.7").Points, 2);
    }

    [Fact]
    public void Score_WhenIllegibleCriterionScoredDirectly_KeepsTypedPoints()
    {
        // seed 000 §1.1 (line 258): only "… không phải Lãnh đạo huyện, thành phố: 0 điểm" is
        // legible → direct: the appraised points are typed (0–20).
        Assert.Equal(12m, Points("1.1", new() { ["1.1"] = 12 }));
    }

    [Fact]
    public void Score_WhenOneOfTwoMeetingPlatformTargetsReached_GroupGetsHalf()
    {
        // seed 000 §6.4: 6.4.1 "Đã triển khai" → 5; 6.4.2 "Chưa triển khai" → 0; 6.4 = 5 of 10.
        var unit = Score(new() { ["6.4.1"] = true, ["6.4.2"] = false });

        Assert.Equal(5m, unit.Node("6.4.1").Points);
        Assert.Equal(0m, unit.Node("6.4.2").Points);
        Assert.Equal(5m, unit.Node("6.4").Points);
    }

    [Fact]
    public void Score_WhenHouseholdDenominatorMissing_GivesZeroAndListsIt()
    {
        // seed 000 §3.2: Tỷ lệ = a/b needs b = Tổng số hộ gia đình; missing → 0 and flagged.
        var unit = Score(new() { ["3.2.a"] = 5000 });

        Assert.Equal(0m, unit.Node("3.2").Points);
        Assert.Contains("3.2.b", unit.Missing);
    }

    [Fact]
    public void Score_WhenNoIncidentsInTheYear_GivesZeroFlaggedDivisionByZero()
    {
        // seed 000 §5.7: Tỷ lệ = a/b, b = Tổng số các sự cố. Unlike seed 001 §5.9–5.10 the text
        // says nothing about a year without incidents, so the engine's default applies (spec §5).
        var node = Score(new() { ["5.7.a"] = 0, ["5.7.b"] = 0 }).Node("5.7");

        Assert.Equal(0m, node.Points);
        Assert.Contains("DivisionByZero", node.Flags);
    }

    [Fact]
    public void Score_WhenSatisfactionRatioAbove90Percent_GivesMax()
    {
        // seed 000 §6.12: Tỷ lệ = b/a (satisfied / participants) = 460/500 = 92% ≥ 90% → 10.
        Assert.Equal(10m, Points("6.12", new() { ["6.12.a"] = 500, ["6.12.b"] = 460 }), 2);
        // 360/500 = 72% → 72/90 × 10 = 8.
        Assert.Equal(8m, Points("6.12", new() { ["6.12.a"] = 500, ["6.12.b"] = 360 }), 2);
    }

    [Fact]
    public void Score_WhenNoValuesGiven_TotalIsZeroAndLevelIsNull()
    {
        var unit = Score(new());

        Assert.Equal(0m, unit.Total);
        Assert.Null(unit.Level);
        Assert.NotEmpty(unit.Missing);
    }

    [Fact]
    public void Score_WhenEveryCriterionFullyMet_TotalIs1000()
    {
        // All inputs 1 makes every printed ratio 100% (or more, capped): a/b, b/a, (a+b)/c ≥ 10%,
        // (c+d)/(a+b), (b+c)/a; yes/no = yes; option 1; 60 articles; direct = max; a lone
        // district in a peer-relative cohort with r > 0 gets max (spec §5).
        var values = new Dictionary<string, object?>();
        foreach (var leaf in Leaves(Set.Tree))
        {
            var method = leaf.Method!;
            if (leaf.Inputs.Count > 0)
            {
                foreach (var input in leaf.Inputs) values[$"{leaf.Code}.{input.Key}"] = 1;
                continue;
            }
            values[leaf.Code] = method.Kind switch
            {
                MethodKind.YesNo => (object?)true,
                MethodKind.Choice => 1,
                MethodKind.CountTiers => 60,
                MethodKind.Direct => leaf.Max,
                MethodKind.Ratio => 100,
                _ => 1,
            };
        }

        var unit = Score(values);

        Assert.Empty(unit.Missing);
        Assert.Equal(1000m, unit.Total);
        foreach (var index in Set.Tree)
            Assert.Equal(index.Max, unit.Node(index.Code).Points);
    }
}
