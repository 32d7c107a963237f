using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests.Libraries;

/// <summary>
/// The Gia Lai district DTI as transcribed from seed 001 (Chư Prông, Phụ lục 02, 2023) into
/// Criteria/Libraries/gia-lai-district-2023.yaml. Every expected score below is computed by hand
/// from the printed formula of the clause named in the test (seed 001 §x.y = STT x.y).
/// </summary>
public class GiaLaiDistrict2023Tests
{
    private const string Id = "gia-lai-district-2023";
    private const string Unit = "H-CHUPRONG";
    private static readonly CriteriaSet Set = BuiltInLibraries.Load(Id);

    private static UnitResult Score(Dictionary<string, object?> values, Dictionary<string, object?>? general = null) =>
        ScoringEngine.Score(Set, new[] { new UnitValues(Unit, values, general ?? new Dictionary<string, object?>()) }).Units[0];

    private static decimal Points(string code, Dictionary<string, object?> values, Dictionary<string, object?>? general = null) =>
        Score(values, general).Node(code).Points;

    private static string EmbeddedYaml()
    {
        using var stream = typeof(CriteriaSet).Assembly.GetManifestResourceStream($"DtiPortal.Criteria.{Id}.yaml")
            ?? throw new InvalidOperationException("library not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

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
    public void Load_WhenBuiltIn_IsTheDistrictSetOf1000Points()
    {
        Assert.Equal("district", Set.Level);
        Assert.Equal(2023, Set.Year);
        Assert.Equal(1000m, Set.MaxPoints);
        Assert.Equal(1000m, Set.Tree.Sum(n => n.Max));
        // line 3: the appendix belongs to a decision of the Chư Prông steering committee.
        Assert.Equal("Ban chỉ đạo chuyển đổi số huyện Chư Prông", Set.Decision.Issuer);
    }

    [Theory]
    // seed 001 lines 42, 50, 63, 72, 83, 98, 124, 134: the 8 main indices as printed.
    [InlineData("1", "Nhận thức số", 80)]
    [InlineData("2", "Thể chế số", 120)]
    [InlineData("3", "Hạ tầng số", 100)]
    [InlineData("4", "Nhân lực số", 90)]
    [InlineData("5", "An toàn thông tin mạng", 100)]
    [InlineData("6", "Hoạt động chính quyền số", 260)]
    [InlineData("7", "Hoạt động kinh tế số", 140)]
    [InlineData("8", "Hoạt động xã hội số", 110)]
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
    public void Load_WhenCountingCriteria_Has74In8Indices()
    {
        // 6 + 10 + 7 + 8 + 11 + 20 + 7 + 5 rows with points in seed 001 lines 43–140.
        Assert.Equal(8, Set.Tree.Count);
        Assert.Equal(74, Set.AllNodes.Count(n => !n.IsGroup));
        Assert.All(Set.AllNodes.Where(n => !n.IsGroup), n => Assert.NotNull(n.Method));
    }

    [Fact]
    public void Load_WhenGeneralInformationRead_HasPopulationAsI4()
    {
        // seed 001 line 10: "4 Số lượng dân số … I.4".
        var population = Assert.Single(Set.General, g => g.Code == "I.4");
        Assert.Equal("population", population.Key);
        Assert.Contains(Set.General, g => g.Code == "I.19");
    }

    [Fact]
    public void Load_WhenCriterion31Read_TakesDenominatorFromPopulation()
    {
        // seed 001 §3.1: "b = Tổng dân số của cấp huyện" → the general item I.4.
        var node = Set.Find("3.1")!;
        Assert.Equal("ratio", node.Method!.Name);
        Assert.Equal("population", Assert.Single(node.Inputs, i => i.Key == "b").General);
        Assert.Equal("Phòng Văn hóa và Thông tin", node.Details.Lead);
        Assert.Contains("UBND các xã, thị trấn", node.Details.Coordinating);
    }

    // ───────────── one case per method kind, from the printed clauses ─────────────

    [Fact]
    public void Score_WhenResolutionIssued_YesNoGivesMax()
    {
        // seed 001 §2.1 yes/no: "Đã ban hành: Điểm tối đa (10)"; §2.9 "Chưa thực hiện: 0 điểm".
        var unit = Score(new() { ["2.1"] = true, ["2.9"] = false });
        Assert.Equal(10m, unit.Node("2.1").Points);
        Assert.Equal(0m, unit.Node("2.9").Points);
    }

    [Theory]
    // seed 001 §1.1 choice: Chủ tịch → 15; Phó Chủ tịch → ½ × 15; no steering committee → 0.
    [InlineData(1, 15)]
    [InlineData(2, 7.5)]
    [InlineData(3, 0)]
    public void Score_WhenLeaderAssignedIn11_ChoiceGivesShareOfMax(int option, double expected)
    {
        Assert.Equal((decimal)expected, Points("1.1", new() { ["1.1"] = option }));
    }

    [Fact]
    public void Score_WhenSecurityStaffIsPartTime_ChoiceGivesHalfOf45()
    {
        // seed 001 §4.5: "Công chức bán chuyên trách về ATTT (kiêm nhiệm): 1/2 điểm tối đa" → 5 of 10.
        Assert.Equal(5m, Points("4.5", new() { ["4.5"] = 2 }));
    }

    [Fact]
    public void Score_WhenVirtualAssistantNotPersonalised_ChoiceGivesHalfOf613()
    {
        // seed 001 §6.13: "Đã triển khai và chưa cá thể hóa …: 1/2*Điểm tối đa" → 5 of 10.
        Assert.Equal(5m, Points("6.13", new() { ["6.13"] = 2 }));
    }

    [Fact]
    public void Score_WhenChairmanChairsDistrictMeetingsOnly_PartsGiveHalfOf12()
    {
        // seed 001 §1.2 parts: attends the province's meetings ½ + chairs the district's ½; only the second → 7.5 of 15.
        Assert.Equal(7.5m, Points("1.2", new() { ["1.2.a"] = false, ["1.2.b"] = true }));
    }

    [Theory]
    // seed 001 §6.1 parts: requirements met 4/5 × 10 + IPv6 1/5 × 10.
    [InlineData(true, true, 10)]
    [InlineData(true, false, 8)]
    [InlineData(false, true, 2)]
    [InlineData(false, false, 0)]
    public void Score_WhenWebsitePartsMet_PartsGiveFourFifthsPlusOneFifth(bool requirements, bool ipv6, int expected)
    {
        Assert.Equal(expected, Points("6.1", new() { ["6.1.a"] = requirements, ["6.1.b"] = ipv6 }));
    }

    [Fact]
    public void Score_WhenOnlineMeetingsAtDistrictOnly_PartsGiveHalfOf611()
    {
        // seed 001 §6.11: "Đã triển khai tại UBND cấp huyện: 1/2*Điểm tối đa" → 5 of 10.
        Assert.Equal(5m, Points("6.11", new() { ["6.11.a"] = true, ["6.11.b"] = false }));
    }

    [Fact]
    public void Score_WhenHalfThePopulationHasSmartphones_RatioGivesHalfOf31()
    {
        // seed 001 §3.1 ratio: a = 60 000, b = Tổng dân số (I.4) = 120 000 → ½ × 10 = 5.
        var unit = Score(new() { ["3.1.a"] = 60000 }, new() { ["I.4"] = 120000 });
        Assert.Equal(5m, unit.Node("3.1").Points);
    }

    [Fact]
    public void Score_WhenDenominatorGivenOnCriterion_OverridesGeneralInformation()
    {
        // spec §4: a general reference may be overridden by CODE.letter; seed 001 §3.1 with b = 80 000 → 60/80 × 10 = 7.5.
        var unit = Score(new() { ["3.1.a"] = 60000, ["3.1.b"] = 80000 }, new() { ["I.4"] = 120000 });
        Assert.Equal(7.5m, unit.Node("3.1").Points);
    }

    [Fact]
    public void Score_WhenOnlineRecordsFormula_RatioOfSumsGivesHalfOf65()
    {
        // seed 001 §6.5: Tỷ lệ = (c+d)/(a+b) = (15+5)/(30+10) = 0.5 → 0.5 × 20 = 10.
        var unit = Score(new() { ["6.5.a"] = 30, ["6.5.b"] = 10, ["6.5.c"] = 15, ["6.5.d"] = 5 });
        Assert.Equal(10m, unit.Node("6.5").Points);
    }

    [Fact]
    public void Score_WhenStaffRatioUsesAgencies_RatioBOverAGives44()
    {
        // seed 001 §4.4: "Tỷ lệ = b/a" with a = phòng, ban (I.9 = 20), b = 5 staff → 0.25 × 10 = 2.5.
        var unit = Score(new() { ["4.4.b"] = 5 }, new() { ["I.9"] = 20 });
        Assert.Equal(2.5m, unit.Node("4.4").Points);
    }

    [Fact]
    public void Score_WhenComputersPercentIs85_SingleInputRatioGives37()
    {
        // seed 001 §3.7: "Điểm = T % x Điểm tối đa" with T = 85 % → 8.5 of 10.
        Assert.Equal(8.5m, Points("3.7", new() { ["3.7"] = 85 }));
    }

    [Fact]
    public void Score_WhenMoreSmartphoneHouseholdsThanHouseholds_RatioIsCappedAndFlagged()
    {
        // seed 001 §3.2 ratio, 1 100 of 1 000 households (I.6): capped at 100 % → 10, RatioAbove100.
        var node = Score(new() { ["3.2.a"] = 1100 }, new() { ["I.6"] = 1000 }).Node("3.2");
        Assert.Equal(10m, node.Points);
        Assert.Contains("RatioAbove100", node.Flags);
    }

    [Theory]
    // seed 001 §6.6 ratio-target: (b+c)/a; ≥ 80 % → 20; else Tỷ lệ/80% × 20.
    [InlineData(300, 300, 15)]   // 600/1000 = 60 % → 0.6/0.8 × 20 = 15
    [InlineData(500, 300, 20)]   // 80 % → max
    [InlineData(100, 100, 5)]    // 20 % → 0.2/0.8 × 20 = 5
    public void Score_WhenOnlineHandlingRate_RatioTargetScalesBy80Percent(int partial, int full, int expected)
    {
        var unit = Score(new() { ["6.6.a"] = 1000, ["6.6.b"] = partial, ["6.6.c"] = full });
        Assert.Equal(expected, unit.Node("6.6").Points);
    }

    [Fact]
    public void Score_WhenBankAccountsAt60Percent_RatioTargetGives15Of20()
    {
        // seed 001 §8.2: Tỷ lệ/80% × 20 with 600/1000 → 0.75 × 20 = 15.
        var unit = Score(new() { ["8.2.a"] = 600, ["8.2.b"] = 1000 });
        Assert.Equal(15m, unit.Node("8.2").Points);
    }

    [Theory]
    // seed 001 §7.1 ratio-target-plain: ≥ 10 % → 20; else "Điểm tối đa * tỷ lệ" (not tỷ lệ/10 %).
    [InlineData(10, 1)]     // 10/200 = 5 % → 0.05 × 20 = 1 (ratio-target would give 10)
    [InlineData(20, 20)]    // 10 % → max
    [InlineData(0, 0)]
    public void Score_WhenSmesJoinSmedx_RatioTargetPlainMultipliesByRatioBelowTarget(int joined, int expected)
    {
        var unit = Score(new() { ["7.1.a"] = joined }, new() { ["I.16"] = 200 });
        Assert.Equal(expected, unit.Node("7.1").Points);
    }

    [Fact]
    public void Score_WhenSchoolsAt60Percent_RatioTargetPlainGives6Of10()
    {
        // seed 001 §4.8: "Tỷ lệ < 70%: Điểm = Tỷ lệ*Điểm tối đa" → 0.6 × 10 = 6.
        var unit = Score(new() { ["4.8.a"] = 60, ["4.8.b"] = 100 });
        Assert.Equal(6m, unit.Node("4.8").Points);
    }

    [Theory]
    // seed 001 §6.3 band, all or nothing: "Tỷ lệ = 100%: Điểm tối đa; Tỷ lệ < 100%: 0 điểm".
    [InlineData(100, 10)]
    [InlineData(99, 0)]
    public void Score_WhenFullOnlineServicesRate_BandIsAllOrNothing(int deployed, int expected)
    {
        var unit = Score(new() { ["6.3.a"] = deployed, ["6.3.b"] = 100 });
        Assert.Equal(expected, unit.Node("6.3").Points);
    }

    [Theory]
    // seed 001 §6.20: 100 % of staff use the official mailbox correctly → 10; below 100 % → 0.
    [InlineData(100, 10)]
    [InlineData(95, 0)]
    public void Score_WhenMailboxUsePercent_BandOnSinglePercentIsAllOrNothing(int percent, int expected)
    {
        Assert.Equal(expected, Points("6.20", new() { ["6.20"] = percent }));
    }

    [Theory]
    // seed 001 §5.11 ratio steps on a/b (triệu đồng): ≥ 10 % → 15; ≥ 7 % → 70 % × 15; ≥ 3 % → 30 % × 15; < 3 % → 0.
    [InlineData(12, 15)]
    [InlineData(10, 15)]
    [InlineData(7, 10.5)]   // seed 001 §5.11 ratio steps: 7% → 70% of max
    [InlineData(3, 4.5)]
    [InlineData(2.9, 0)]
    public void Score_WhenSecuritySpendingShare_RatioStepsGiveTheStepReached(double security, double expected)
    {
        var unit = Score(new() { ["5.11.a"] = security, ["5.11.b"] = 100 });
        Assert.Equal((decimal)expected, unit.Node("5.11").Points);
    }

    [Theory]
    // seed 001 §1.4 (line 47), with a section: ≥ 10 articles → 15; 5–9 → ½ × 15; "Dưới 5" → ¼ × 15, even 0 articles.
    [InlineData(12, 15)]
    [InlineData(10, 15)]
    [InlineData(9, 7.5)]
    [InlineData(5, 7.5)]
    [InlineData(4, 3.75)]
    [InlineData(1, 3.75)]
    [InlineData(0, 3.75)]
    public void Score_WhenArticlesOnPortal_CountTiersGiveTheTierReached(int articles, double expected)
    {
        Assert.Equal((decimal)expected, Points("1.4", new() { ["1.4.a"] = true, ["1.4.b"] = articles }));
    }

    [Fact]
    public void Score_WhenThePortalHasNoSection_IsZeroAndTheCountIsNotAsked()
    {
        // seed 001 §1.4 (line 47): "Chưa có chuyên mục: 0 điểm" — the number of articles is then irrelevant, not missing.
        var unit = Score(new() { ["1.4.a"] = false });
        Assert.Equal(0m, unit.Node("1.4").Points);
        Assert.Empty(unit.Node("1.4").Flags);
        Assert.DoesNotContain("1.4.b", unit.Missing);
        Assert.Contains("chuyên mục", unit.Node("1.4").Explanation);
        Assert.EndsWith("Không → 0", unit.Node("1.4").Explanation);
    }

    [Theory]
    // seed 001 §4.6 (line 79) and §6.19 (line 122): b = "Tổng số công chức, viên chức" = I.10 + I.11 from the general
    // information; 30 of 40 + 20 → 30/60 × 10 = 5 for §4.6 and 30/60 × 5 = 2,5 for §6.19.
    [InlineData("4.6", 5)]
    [InlineData("6.19", 2.5)]
    public void Score_WhenTheDenominatorIsOfficialsAndPublicEmployees_TakesItFromGeneralInformation(string code, double expected)
    {
        var general = new Dictionary<string, object?> { ["I.10"] = 40, ["I.11"] = 20 };
        var unit = Score(new() { [$"{code}.a"] = 30 }, general);
        Assert.Equal((decimal)expected, unit.Node(code).Points);
        Assert.DoesNotContain(unit.Missing, m => m.StartsWith(code, StringComparison.Ordinal));

        // The printed letter b overrides the whole (seed 003 §4.4 style parts b1 + b2): 30/120 of max.
        var overridden = Score(new() { [$"{code}.a"] = 30, [$"{code}.b"] = 120 }, general);
        Assert.Equal((decimal)expected / 2, overridden.Node(code).Points);
    }

    [Theory]
    // seed 001 §8.5 capped count: 1 point per effective activity, "Tổng điểm không quá Điểm tối đa" (30).
    [InlineData(12, 12)]
    [InlineData(30, 30)]
    [InlineData(45, 30)]
    public void Score_WhenEffectiveActivitiesCounted_CappedCountGivesOnePointEachUpToMax(int activities, int expected)
    {
        Assert.Equal(expected, Points("8.5", new() { ["8.5"] = activities }));
    }

    [Fact]
    public void Score_WhenThreeDistrictsSpendOnDigitalSociety_PeerRelativeMinMaxRanksThem()
    {
        // seed 001 §8.4 peer-relative, Min-Max against the highest-spending district:
        // 1, 2, 3 tỷ đồng → (r − 1)/(3 − 1) × 20 = 0, 10, 20.
        var cohort = ScoringEngine.Score(Set, new[]
        {
            new UnitValues("H-A", new Dictionary<string, object?> { ["8.4"] = 1 }),
            new UnitValues("H-B", new Dictionary<string, object?> { ["8.4"] = 2 }),
            new UnitValues("H-C", new Dictionary<string, object?> { ["8.4"] = 3 }),
        });

        Assert.Equal(0m, cohort.Unit("H-A").Node("8.4").Points);
        Assert.Equal(10m, cohort.Unit("H-B").Node("8.4").Points);
        Assert.Equal(20m, cohort.Unit("H-C").Node("8.4").Points);
    }

    [Fact]
    public void Score_WhenIncidentsDetectedDiffer_PeerRelativeGivesMostDetectorMax()
    {
        // seed 001 §5.9: "Min-Max … đơn vị nào nhiều sự cố nhất thì điểm tối đa và giảm dần": 2, 6, 10 → 0, 2.5, 5.
        var cohort = ScoringEngine.Score(Set, new[]
        {
            new UnitValues("H-A", new Dictionary<string, object?> { ["5.9"] = 2 }),
            new UnitValues("H-B", new Dictionary<string, object?> { ["5.9"] = 6 }),
            new UnitValues("H-C", new Dictionary<string, object?> { ["5.9"] = 10 }),
        });

        Assert.Equal(0m, cohort.Unit("H-A").Node("5.9").Points);
        Assert.Equal(2.5m, cohort.Unit("H-B").Node("5.9").Points);
        Assert.Equal(5m, cohort.Unit("H-C").Node("5.9").Points);
    }

    [Fact]
    public void Score_WhenNoIncidentDetected_PeerRelativeGivesMax()
    {
        // seed 001 §5.9: "Nếu đơn vị không phát hiện sự cố … thì được điểm tối đa" (zeroDenominator: max) → 5.
        var cohort = ScoringEngine.Score(Set, new[]
        {
            new UnitValues("H-A", new Dictionary<string, object?> { ["5.9"] = 0 }),
            new UnitValues("H-B", new Dictionary<string, object?> { ["5.9"] = 4 }),
        });

        Assert.Equal(5m, cohort.Unit("H-A").Node("5.9").Points);
        Assert.Contains("ZeroDenominatorMax", cohort.Unit("H-A").Node("5.9").Flags);
        Assert.Equal(5m, cohort.Unit("H-B").Node("5.9").Points);
    }

    [Fact]
    public void Score_WhenNoIncidentToHandle_ZeroDenominatorGivesMax()
    {
        // seed 001 §5.10: b = 0 ("không phát hiện sự cố") → điểm tối đa 10, flagged ZeroDenominatorMax.
        var node = Score(new() { ["5.10.a"] = 0, ["5.10.b"] = 0 }).Node("5.10");
        Assert.Equal(10m, node.Points);
        Assert.Contains("ZeroDenominatorMax", node.Flags);
    }

    [Fact]
    public void Score_WhenNoBotnetIpFound_DefaultZeroDenominatorGivesZero()
    {
        // seed 001 §5.5 prints no "no incident" rule, unlike §5.10: b = 0 → 0 points, DivisionByZero.
        var node = Score(new() { ["5.5.a"] = 0, ["5.5.b"] = 0 }).Node("5.5");
        Assert.Equal(0m, node.Points);
        Assert.Contains("DivisionByZero", node.Flags);
    }

    [Fact]
    public void Score_WhenNothingEntered_ScoresZeroAndListsMissing()
    {
        var unit = Score(new());

        Assert.Equal(0m, unit.Total);
        Assert.Null(unit.Level);
        Assert.Contains("2.1", unit.Missing);
        Assert.Contains("3.1.a", unit.Missing);
        Assert.Contains("general:I.4", unit.Missing);
    }

    [Fact]
    public void Score_WhenEveryCriterionAtBest_Totals1000()
    {
        // Every criterion at its best outcome must add up to the printed 1000 (seed 001 lines 42–140).
        var values = new Dictionary<string, object?>();
        foreach (var node in Set.AllNodes.Where(n => !n.IsGroup))
        {
            var method = node.Method!;
            switch (method.Kind)
            {
                case MethodKind.YesNo: values[node.Code] = true; break;
                case MethodKind.Choice: values[node.Code] = 1; break;
                case MethodKind.Parts:
                    foreach (var part in method.Parts) values[$"{node.Code}.{part.Key}"] = true;
                    break;
                case MethodKind.CountTiers:
                case MethodKind.CappedCount:
                    // §1.4 (v2): a = the section exists, b = the number of articles.
                    if (node.Inputs.Count == 0) values[node.Code] = 1000;
                    else foreach (var input in node.Inputs) values[$"{node.Code}.{input.Key}"] = input.Type == InputType.Boolean ? (object)true : 1000;
                    break;
                case MethodKind.PeerRelative: values[node.Code] = 1; break;
                default:
                    if (node.Inputs.Count == 0) values[node.Code] = 100;            // a percent
                    else foreach (var input in node.Inputs)   // every ratio = 1
                    {
                        // §4.6/§6.19 (v2): b1 + b2 from general information; the printed b overrides the whole.
                        var part = input.General is not null && input.Key.Length > 1 && input.Key[1..].All(char.IsAsciiDigit);
                        values[$"{node.Code}.{(part ? input.Key[..1] : input.Key)}"] = 1;
                    }
                    break;
            }
        }

        var unit = Score(values);

        Assert.Equal(1000m, unit.Total);
        Assert.All(Set.Tree, index => Assert.Equal(index.Max, unit.Node(index.Code).Points));
    }
}
