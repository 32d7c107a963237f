using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests.Libraries;

/// <summary>
/// Decision 2361/QĐ-BTTTT of 31/12/2024 (seed 002): the maturity-level frameworks for communes
/// (Phụ lục I → Criteria/Libraries/mic-2361-commune.yaml) and districts (Phụ lục II →
/// mic-2361-district.yaml). "seed 002 line n" is the line of /work/shared/seeds/002_aa031d34c465b174.txt.
/// The rule under test (§II.1.c, lines 187–188): a unit reaches level L when it meets 100% of the
/// criteria applicable at L; the district's general criterion aggregates its communes' levels.
/// </summary>
public class Mic2361Tests
{
    private const string CommuneId = "mic-2361-commune";
    private const string DistrictId = "mic-2361-district";
    private static readonly Lazy<CriteriaSet> LazyCommune = new(() => BuiltInLibraries.Load(CommuneId));
    private static readonly Lazy<CriteriaSet> LazyDistrict = new(() => BuiltInLibraries.Load(DistrictId));
    private static CriteriaSet Commune => LazyCommune.Value;
    private static CriteriaSet District => LazyDistrict.Value;

    // ───────────── the printed tables, as the tests read them ─────────────
    // A row: the threshold per level 1..5 (null = "Không áp dụng").
    // Percent rows: the printed percentage. Presence rows ("Có …"): 1 where applicable.
    // Count rows ("Tối thiểu NN …"): the printed count.

    private enum Kind { Percent, Present, Count }

    private sealed record Row(string Code, Kind Kind, int?[] Levels, int SeedLine);

    private static Row P(string code, int line, int? l1, int? l2, int? l3, int? l4, int? l5) =>
        new(code, Kind.Percent, [l1, l2, l3, l4, l5], line);

    private static Row Has(string code, int line, int from) =>
        new(code, Kind.Present, Enumerable.Range(1, 5).Select(l => l >= from ? (int?)1 : null).ToArray(), line);

    private static Row N(string code, int line, int? l1, int? l2, int? l3, int? l4, int? l5) =>
        new(code, Kind.Count, [l1, l2, l3, l4, l5], line);

    /// <summary>Phụ lục I (seed 002 lines 326–893), except II.4 (compound, tested on its own).</summary>
    private static readonly Row[] CommuneRows =
    [
        P("I.1", 343, 50, 60, 70, 100, 100),
        P("I.2", 348, 20, 30, 50, 80, 90),
        P("I.3", 354, 60, 70, 80, 90, 100),
        Has("I.4", 371, 3),
        Has("I.5", 383, 4),
        P("I.6", 395, 50, 60, 80, 100, 100),
        N("I.7", 420, 1, 1, 1, 1, 2),
        P("I.8", 429, 50, 60, 70, 80, 90),
        P("I.9", 440, null, null, 100, 100, 100),
        P("I.10", 463, null, null, 50, 70, 100),
        P("I.11", 473, null, 40, 60, 80, 100),
        Has("I.12", 481, 3),
        Has("I.13", 486, 3),
        Has("I.14", 506, 2),
        Has("I.15", 514, 3),
        Has("I.16", 523, 3),
        Has("I.17", 531, 3),
        Has("I.18", 551, 3),
        Has("I.19", 561, 3),
        Has("I.20", 569, 3),
        Has("I.21", 577, 3),
        Has("I.22", 597, 4),
        Has("I.23", 606, 4),
        Has("I.24", 613, 4),
        P("II.1", 621, 20, 30, 40, 50, 70),
        P("II.2", 647, 30, 40, 50, 70, 90),
        Has("II.3", 656, 2),
        P("II.5", 693, null, null, 50, 70, 100),
        P("III.1", 703, 50, 60, 70, 80, 100),
        P("III.2", 742, 50, 60, 70, 80, 100),
        P("III.3", 772, 20, 30, 40, 50, 60),
        P("III.4", 802, 40, 50, 60, 70, 80),
        P("III.5", 839, 10, 30, 50, 70, 90),
        P("III.6", 849, 60, 70, 80, 90, 100),
        P("III.7", 857, null, 80, 90, 100, 100),
        Has("III.8", 874, 3),
        Has("III.9", 882, 3),
    ];

    /// <summary>Phụ lục II (seed 002 lines 898–1307), except I.1 (the aggregate, tested on its own).</summary>
    private static readonly Row[] DistrictRows =
    [
        P("II.1", 933, 70, 80, 90, 100, 100),
        P("II.2", 946, 20, 30, 40, 80, 90),
        P("II.3", 953, 75, 85, 95, 100, 100),
        Has("II.4", 962, 4),
        Has("II.5", 969, 4),
        P("II.6", 993, 50, 60, 80, 100, 100),
        Has("II.7", 1001, 3),
        P("II.8", 1026, 50, 60, 70, 80, 90),
        P("II.9", 1036, 50, 70, 90, 100, 100),
        P("II.10", 1045, 10, 20, 30, 50, 70),
        P("II.11", 1068, 20, 40, 60, 80, 100),
        Has("II.12", 1076, 1),
        N("II.13", 1080, null, null, null, 1, 3),
        N("II.14", 1084, null, null, null, 1, 3),
        Has("II.15", 1090, 3),
        P("II.16", 1107, null, 50, 60, 70, 80),
        Has("II.17", 1120, 3),
        Has("II.18", 1130, 1),
        Has("II.19", 1154, 3),
        Has("II.20", 1162, 4),
        Has("II.21", 1172, 3),
        Has("II.22", 1182, 3),
        P("III.1", 1201, 30, 50, 70, 80, 90),
        P("III.2", 1210, 20, 40, 60, 70, 80),
        P("III.3", 1216, 10, 20, 30, 40, 50),
        P("III.4", 1225, null, 50, 60, 70, 100),
        P("III.5", 1251, 60, 70, 80, 90, 100),
        Has("III.6", 1259, 4),
        P("IV.1", 1268, 70, 80, 90, 100, 100),
        P("IV.2", 1285, 10, 30, 50, 60, 80),
        P("IV.3", 1291, null, null, 50, 60, 80),
        P("IV.4", 1298, null, null, 50, 100, 100),
    ];

    /// <summary>
    /// The least values meeting level <paramref name="level"/>: the printed threshold where the
    /// criterion applies, and a failing value (0 / false) where it is "Không áp dụng".
    /// </summary>
    private static Dictionary<string, object?> ValuesAt(IEnumerable<Row> rows, int level)
    {
        var values = new Dictionary<string, object?>();
        foreach (var row in rows)
        {
            var t = row.Levels[level - 1];
            values[row.Code] = row.Kind switch
            {
                Kind.Percent => (object)(double)(t ?? 0),
                Kind.Present => t is not null,
                _ => t ?? 0,
            };
        }
        return values;
    }

    /// <summary>Commune values meeting level L exactly; II.4 (seed 002 lines 671–686) at its level-L cell.</summary>
    private static Dictionary<string, object?> CommuneAt(int level)
    {
        var values = ValuesAt(CommuneRows, level);
        values["II.4.a"] = level switch { <= 2 => 0, 3 => 1, 4 => 2, _ => 3 };
        values["II.4.b"] = 10;
        return values;
    }

    /// <summary>District values meeting level L exactly, every commune recognised at level L.</summary>
    private static Dictionary<string, object?> DistrictAt(int level)
    {
        var values = ValuesAt(DistrictRows, level);
        values["I.1"] = new[] { level, level, level, level };
        return values;
    }

    private static UnitResult Score(CriteriaSet set, Dictionary<string, object?> values) =>
        ScoringEngine.Score(set, new[] { new UnitValues(set.Level == "commune" ? "XA-1" : "HUYEN-1", values) }).Units[0];

    private static string EmbeddedYaml(string id)
    {
        using var stream = typeof(CriteriaSet).Assembly.GetManifestResourceStream($"DtiPortal.Criteria.{id}.yaml")
            ?? throw new InvalidOperationException($"library {id} not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static IEnumerable<CriterionNode> Leaves(IEnumerable<CriterionNode> nodes) =>
        nodes.SelectMany(n => n.IsGroup ? Leaves(n.Children) : new[] { n });

    // ───────────── loading ─────────────

    [Theory]
    [InlineData(CommuneId)]
    [InlineData(DistrictId)]
    public void Parse_WhenEmbeddedLibraryIsRead_HasNoErrors(string id)
    {
        var result = CriteriaSetLoader.Parse(EmbeddedYaml(id));

        Assert.Empty(result.Errors);
        Assert.True(result.Success);
        Assert.Equal(id, result.Set!.Id);
    }

    [Fact]
    public void Ids_WhenListed_ContainBothFrameworks()
    {
        Assert.Contains(CommuneId, BuiltInLibraries.Ids);
        Assert.Contains(DistrictId, BuiltInLibraries.Ids);
    }

    [Theory]
    [InlineData(CommuneId, "commune")]
    [InlineData(DistrictId, "district")]
    public void Load_WhenFramework_IsLevelsOnlySetOfDecision2361WithFiveLevels(string id, string level)
    {
        var set = BuiltInLibraries.Load(id);

        Assert.Equal(level, set.Level);
        Assert.Null(set.MaxPoints);
        Assert.Equal("2361/QĐ-BTTTT", set.Decision.Number);
        Assert.Equal(new DateOnly(2024, 12, 31), set.Decision.Date);
        Assert.Equal("Bộ Thông tin và Truyền thông", set.Decision.Issuer);
        // seed 002 lines 156–173
        Assert.Equal(
            new[] { "1 Khởi động", "2 Kết nối", "3 Cơ bản", "4 Nâng cao", "5 Toàn diện" },
            set.Levels.Select(l => $"{l.Level} {l.Name}"));
    }

    [Fact]
    public void Commune_WhenCounted_Has38CriteriaIn24_5_9()
    {
        // seed 002 §II.1.b, lines 132–139
        Assert.Equal(new[] { "I", "II", "III" }, Commune.Tree.Select(n => n.Code));
        Assert.Equal(new[] { 24, 5, 9 }, Commune.Tree.Select(n => n.Children.Count));
        Assert.Equal(38, Leaves(Commune.Tree).Count());
    }

    [Fact]
    public void District_WhenCounted_Has33CriteriaIn1_22_6_4()
    {
        // seed 002 §II.1.b, lines 143–152
        Assert.Equal(new[] { "I", "II", "III", "IV" }, District.Tree.Select(n => n.Code));
        Assert.Equal(new[] { 1, 22, 6, 4 }, District.Tree.Select(n => n.Children.Count));
        Assert.Equal(33, Leaves(District.Tree).Count());
    }

    [Theory]
    [InlineData(CommuneId)]
    [InlineData(DistrictId)]
    public void Criteria_WhenLoaded_CarryNameAndLegalBasisAndAllFiveLevels(string id)
    {
        var set = BuiltInLibraries.Load(id);
        foreach (var c in Leaves(set.Tree))
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Name), c.Code);
            Assert.Equal(new[] { 1, 2, 3, 4, 5 }, c.LevelRequirements.Keys.Order());
            // The district's general criterion prints no căn cứ (seed 002 lines 908–927).
            if (c.Code != "I.1" || id == CommuneId)
                Assert.False(string.IsNullOrWhiteSpace(c.Details.LegalBasis), c.Code);
        }
    }

    public static TheoryData<string, string> CommuneTable() => Table(CommuneId, CommuneRows);
    public static TheoryData<string, string> DistrictTable() => Table(DistrictId, DistrictRows);

    private static TheoryData<string, string> Table(string id, Row[] rows)
    {
        var data = new TheoryData<string, string>();
        foreach (var row in rows) data.Add(id, row.Code);
        return data;
    }

    [Theory]
    [MemberData(nameof(CommuneTable))]
    [MemberData(nameof(DistrictTable))]
    public void Requirements_WhenComparedWithPrintedRow_Match(string id, string code)
    {
        var row = (id == CommuneId ? CommuneRows : DistrictRows).Single(r => r.Code == code);
        var node = BuiltInLibraries.Load(id).Find(code);
        Assert.NotNull(node);

        for (var level = 1; level <= 5; level++)
        {
            var req = node!.LevelRequirements[level];
            var printed = row.Levels[level - 1];
            var where = $"{code} mức {level} (seed 002 line {row.SeedLine})";
            if (printed is null)
            {
                Assert.True(req is LevelRequirement.NotApplicable, where);
                continue;
            }
            switch (row.Kind)
            {
                case Kind.Percent:
                    var min = Assert.IsType<LevelRequirement.Min>(req);
                    Assert.True(printed.Value / 100m == min.Value, $"{where}: {min.Value}");
                    break;
                case Kind.Present:
                    Assert.IsType<LevelRequirement.Present>(req);
                    break;
                case Kind.Count:
                    var count = Assert.IsType<LevelRequirement.MinCount>(req);
                    Assert.True(printed.Value == count.Value, $"{where}: {count.Value}");
                    break;
            }
        }
    }

    [Fact]
    public void CommuneII4_WhenLoaded_IsCountsThenCountOrHundredPercent()
    {
        // seed 002 lines 671–686: Có 1 / Có 2 / Có 3 trở lên hoặc 100% doanh nghiệp, hợp tác xã
        var node = Commune.Find("II.4")!;
        Assert.IsType<LevelRequirement.NotApplicable>(node.LevelRequirements[1]);
        Assert.IsType<LevelRequirement.NotApplicable>(node.LevelRequirements[2]);
        Assert.Equal(new LevelRequirement.MinCount(1, "a"), node.LevelRequirements[3]);
        Assert.Equal(new LevelRequirement.MinCount(2, "a"), node.LevelRequirements[4]);
        var any = Assert.IsType<LevelRequirement.Any>(node.LevelRequirements[5]);
        Assert.Equal(new LevelRequirement.MinCount(3, "a"), any.Items[0]);
        Assert.Equal(new LevelRequirement.Min(1m), any.Items[1]);
    }

    // ───────────── levels reached ─────────────

    [Fact]
    public void Score_WhenCommuneMeetsEverything_ReachesLevel5()
    {
        var unit = Score(Commune, CommuneAt(5));

        Assert.Equal(5, unit.Level);
        Assert.Empty(unit.NextLevels);
        Assert.Empty(unit.Missing);
    }

    [Fact]
    public void Score_WhenDistrictMeetsEverything_ReachesLevel5()
    {
        var unit = Score(District, DistrictAt(5));

        Assert.Equal(5, unit.Level);
        Assert.Empty(unit.NextLevels);
        Assert.Empty(unit.Missing);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Score_WhenCommuneHasExactlyTheLevelThresholds_ReachesThatLevel(int level)
    {
        // Every criterion "Không áp dụng" at L is given a failing value (0 / false / none):
        // it must not block L (§II.1.c, lines 187–188: 100% of the criteria of that level).
        Assert.Equal(level, Score(Commune, CommuneAt(level)).Level);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Score_WhenDistrictHasExactlyTheLevelThresholds_ReachesThatLevel(int level)
    {
        Assert.Equal(level, Score(District, DistrictAt(level)).Level);
    }

    [Fact]
    public void Score_WhenCriteriaNotApplicableAtLevel1AreNotEntered_CommuneStillReachesLevel1()
    {
        // A commune starting out (mức 1 Khởi động) need not fill criteria that do not apply yet,
        // e.g. I.9 (seed 002 line 440, "Không áp dụng" at levels 1–2) or I.5 (line 383, levels 1–3).
        var values = CommuneAt(1);
        foreach (var row in CommuneRows.Where(r => r.Levels[0] is null)) values.Remove(row.Code);
        values.Remove("II.4.a");
        values.Remove("II.4.b");

        var unit = Score(Commune, values);

        Assert.Equal(1, unit.Level);
        Assert.Contains("I.9", unit.Missing);
    }

    [Fact]
    public void Score_WhenCommuneMissesAPercentageApplicableFromLevel3_StopsAtLevel2AndNamesIt()
    {
        // seed 002 line 354: I.3 văn bản xử lý trên môi trường mạng 60% 70% 80% 90% 100%
        var values = CommuneAt(5);
        values["I.3"] = 75.0;

        var unit = Score(Commune, values);

        Assert.Equal(2, unit.Level);
        var gap = unit.NextLevels.Single(g => g.Level == 3);
        Assert.Equal("Cơ bản", gap.Name);
        var blocker = Assert.Single(gap.Blockers);
        Assert.Equal("I.3", blocker.Code);
        Assert.Equal(0.8m, blocker.Required);
        Assert.Equal(0.75m, blocker.Actual);
        Assert.Equal(0.05m, blocker.Shortfall);
        Assert.Contains("80%", blocker.Message);
        Assert.Equal(new[] { 3, 4, 5 }, unit.NextLevels.Select(g => g.Level));
        Assert.All(unit.NextLevels, g => Assert.Equal("I.3", Assert.Single(g.Blockers).Code));
    }

    [Fact]
    public void Score_WhenCommuneLacksASystemRequiredFromLevel3_StopsAtLevel2AndNamesIt()
    {
        // seed 002 line 371: I.4 "Không áp dụng" at levels 1–2, "Có sử dụng hệ thống" at 3–5
        var values = CommuneAt(5);
        values["I.4"] = false;

        var unit = Score(Commune, values);

        Assert.Equal(2, unit.Level);
        var blocker = Assert.Single(unit.NextLevels.Single(g => g.Level == 3).Blockers);
        Assert.Equal("I.4", blocker.Code);
        Assert.Equal(2, unit.Node("I.4").LevelMet);
    }

    [Fact]
    public void Score_WhenCommuneHasOneDigitalTransformationOfficer_StopsAtLevel4()
    {
        // seed 002 line 420: I.7 tối thiểu 01 nhân sự at levels 1–4, 02 at level 5
        var values = CommuneAt(5);
        values["I.7"] = 1;

        var unit = Score(Commune, values);

        Assert.Equal(4, unit.Level);
        var blocker = Assert.Single(Assert.Single(unit.NextLevels).Blockers);
        Assert.Equal("I.7", blocker.Code);
        Assert.Equal(2m, blocker.Required);
        Assert.Equal(1m, blocker.Actual);
    }

    [Fact]
    public void Score_WhenCommuneHasNoDigitalTransformationOfficer_ReachesNoLevel()
    {
        // seed 002 line 420: I.7 applies from level 1 ("Tối thiểu 01 nhân sự")
        var values = CommuneAt(5);
        values["I.7"] = 0;

        var unit = Score(Commune, values);

        Assert.Equal(0, unit.Level);
        Assert.Equal(1, unit.NextLevels[0].Level);
        Assert.Equal("I.7", Assert.Single(unit.NextLevels[0].Blockers).Code);
    }

    // ───────────── the compound requirement (commune II.4) ─────────────

    [Theory]
    // seed 002 lines 671–686: mức 3 "Có 1", mức 4 "Có 2", mức 5 "Có 3 … trở lên hoặc 100% … trên địa bàn"
    [InlineData(0, 10, 2)]   // none yet: II.4 only applies from level 3
    [InlineData(1, 10, 3)]
    [InlineData(2, 10, 4)]   // 2 of 10: neither 3 nor 100%
    [InlineData(3, 10, 5)]   // the count branch
    [InlineData(9, 10, 5)]
    [InlineData(2, 2, 5)]    // the 100% branch, with the level-4 count met
    [InlineData(1, 1, 3)]    // 100% but a single enterprise: the level-4 cell "Có 2" is not met
    public void Score_WhenCommuneEnterprisesApplyDigitalTechnology_ReachesLevelOfCompoundRule(int applying, int total, int expected)
    {
        var values = CommuneAt(5);
        values["II.4.a"] = applying;
        values["II.4.b"] = total;

        var unit = Score(Commune, values);

        Assert.Equal(expected, unit.Level);
        Assert.Equal(expected, unit.Node("II.4").LevelMet);
        if (expected < 5)
            Assert.Contains(unit.NextLevels.Single(g => g.Level == expected + 1).Blockers, b => b.Code == "II.4");
    }

    // ───────────── the district's general criterion (DOMAIN.md §4b) ─────────────

    [Theory]
    // seed 002 lines 908–927: mức 1 = 100% xã đạt mức khởi động; mức L > 1 = 100% xã đạt mức
    // L−1 trở lên, trong đó tối thiểu 50% đạt mức L.
    [InlineData(new[] { 1, 1, 1 }, 1)]         // nobody at 2: 0% < 50%
    [InlineData(new[] { 2, 2, 1 }, 2)]         // all ≥ 1, 2/3 ≥ 2; not all ≥ 2 for level 3
    [InlineData(new[] { 1, 2, 2 }, 2)]
    [InlineData(new[] { 2, 1, 1 }, 1)]         // 1/3 at ≥ 2 < 50%
    [InlineData(new[] { 2, 2, 1, 1 }, 2)]      // exactly 50% at ≥ 2: "tối thiểu 50%" is inclusive
    [InlineData(new[] { 3, 3, 2, 4 }, 3)]      // all ≥ 2, 3/4 ≥ 3; a commune at 2 blocks level 4
    [InlineData(new[] { 3, 3, 3, 3 }, 3)]      // all at 3, nobody at 4
    [InlineData(new[] { 4, 4, 3, 3 }, 4)]
    [InlineData(new[] { 5, 4, 4 }, 4)]         // 1/3 at 5 < 50%
    [InlineData(new[] { 5, 5, 4, 4 }, 5)]
    [InlineData(new[] { 5, 5, 5 }, 5)]
    [InlineData(new[] { 0, 3, 3 }, 0)]         // a commune recognised at no level blocks level 1
    [InlineData(new[] { 5, 5, 5, 0 }, 0)]
    public void Score_WhenDistrictCommunesHaveLevels_GeneralCriterionAggregatesThem(int[] communeLevels, int expected)
    {
        var values = DistrictAt(5);
        values["I.1"] = communeLevels;

        var unit = Score(District, values);

        Assert.Equal(expected, unit.Node("I.1").LevelMet);
        Assert.Equal(expected, unit.Level);
        if (expected < 5)
            Assert.Contains(unit.NextLevels.Single(g => g.Level == expected + 1).Blockers, b => b.Code == "I.1");
    }

    [Fact]
    public void Score_WhenTooFewCommunesAtLevel2_NextLevelsSaysHowManyMoreAreNeeded()
    {
        // seed 002 lines 908–927, mức 2: "… trong đó tối thiểu 50% đạt mức kết nối".
        // 1 of 3 communes at 2: ⌈50% × 3⌉ = 2 needed, so one more commune must reach level 2.
        var values = DistrictAt(5);
        values["I.1"] = new[] { 2, 1, 1 };

        var unit = Score(District, values);

        var blocker = Assert.Single(unit.NextLevels.Single(g => g.Level == 2).Blockers);
        Assert.Equal("I.1", blocker.Code);
        Assert.Equal(1m, blocker.Shortfall);
        Assert.Contains("cần thêm 1", blocker.Message);
    }

    [Fact]
    public void Score_WhenCompoundIsUnmet_NextLevelsOffersBothBranches()
    {
        // seed 002 lines 671–686, mức 5: "Có 3 … trở lên hoặc 100% …"; 2 of 5 meets neither
        var values = CommuneAt(5);
        values["II.4.a"] = 2;
        values["II.4.b"] = 5;

        var unit = Score(Commune, values);

        Assert.Equal(4, unit.Level);
        var blocker = Assert.Single(Assert.Single(unit.NextLevels).Blockers);
        Assert.Equal("II.4", blocker.Code);
        Assert.Contains("hoặc", blocker.Requirement);
        Assert.Equal(3m, blocker.Required);
        Assert.Equal(2m, blocker.Actual);
    }

    [Fact]
    public void Score_WhenDistrictCommunesAreBetterThanItsOwnFigures_OwnFiguresCap()
    {
        // Communes all at 5, but II.10 only 30% (seed 002 line 1045: 10 20 30 50 70) → level 3
        var values = DistrictAt(5);
        values["II.10"] = 30.0;

        var unit = Score(District, values);

        Assert.Equal(3, unit.Level);
        Assert.Equal("II.10", Assert.Single(unit.NextLevels.Single(g => g.Level == 4).Blockers).Code);
    }

    [Theory]
    // seed 002 lines 1079–1086: II.13 / II.14 "Tối thiểu 01 hệ thống" at 4, "Tối thiểu 03 hệ thống" at 5
    [InlineData("II.13", 0, 3)]
    [InlineData("II.13", 1, 4)]
    [InlineData("II.13", 2, 4)]
    [InlineData("II.13", 3, 5)]
    [InlineData("II.14", 1, 4)]
    [InlineData("II.14", 4, 5)]
    public void Score_WhenDistrictHasSmartSystems_MinimumCountsDecideLevels4And5(string code, int systems, int expected)
    {
        var values = DistrictAt(5);
        values[code] = systems;

        Assert.Equal(expected, Score(District, values).Level);
    }

    [Fact]
    public void Score_WhenDistrictHasNoDigitalTransformationOfficer_ReachesNoLevel()
    {
        // seed 002 line 1076: II.12 "Có" at every level
        var values = DistrictAt(5);
        values["II.12"] = false;

        var unit = Score(District, values);

        Assert.Equal(0, unit.Level);
        Assert.Equal("II.12", Assert.Single(unit.NextLevels.Single(g => g.Level == 1).Blockers).Code);
    }
}
