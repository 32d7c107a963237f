using System.Text.Json;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using static DtiPortal.Domain.Tests.TestSets;

namespace DtiPortal.Domain.Tests.Criteria;

public class ValidationRulesTests
{
    private const string Body = """
        general:
          - { code: "1.4", key: population, label: Dân số, unit: người, type: integer }
          - { code: "1.9", key: commune, label: Tên xã, type: text }
        maxPoints: 100
        tree:
          - code: "3"
            name: Hạ tầng
            max: 60
            children:
              - code: "3.1"
                name: Điện thoại thông minh
                max: 20
                method: ratio
                ratio: a/b
                inputs:
                  - { key: a, label: Số người có điện thoại thông minh }
                  - { key: b, label: Dân số, general: population }
              - code: "6.2"
                name: DVCTT
                max: 30
                method: ratio
                ratio: (c+d)/(a+b)
                inputs:
                  - { key: a, label: A }
                  - { key: b, label: B }
                  - { key: c, label: C }
                  - { key: d, label: D }
              - { code: "2.1", name: Có cổng, max: 10, method: yesno }
          - { code: "4", name: Khác, max: 40, method: direct }

        """;

    private static string WithRules(string rules) => Header + Body + "validation_rules:\n" + rules;

    private static CriteriaSet SetWith(string rules) => Load(WithRules(rules));

    private static UnitValues Unit(Dictionary<string, object?> values, Dictionary<string, object?>? general = null) =>
        new("XA", values, general);

    [Fact]
    public void Load_ReadsRulesWithCodeSeverityAndMessage()
    {
        var set = SetWith("""
              - { code: R1, rule: "3.1.a <= general.population", severity: error, message: Số người không thể lớn hơn dân số. }
              - { code: R2, rule: "6.2.c + 6.2.d <= 6.2.a + 6.2.b", severity: warning, message: Số DVC có hồ sơ lớn hơn tổng. }
            """);

        Assert.Equal(2, set.ValidationRules.Count);
        var r1 = set.ValidationRules[0];
        Assert.Equal(("R1", RuleSeverity.Error, RuleComparison.LessOrEqual), (r1.Code, r1.Severity, r1.Comparison));
        Assert.Equal("Số người không thể lớn hơn dân số.", r1.Message);
        Assert.True(r1.Reads("3.1.a"));
        Assert.True(r1.Reads("general:1.4"));
        Assert.Equal("6.2.c + 6.2.d <= 6.2.a + 6.2.b", ValidationRules.Canonical(set.ValidationRules[1]));
    }

    public static TheoryData<string, string> ParseErrors() => new()
    {
        { "3.1.x <= 5", "Quy tắc R1: không có ô nhập '3.1.x' trong bộ chỉ số tại vị trí 1" },
        { "3.1.a <= general.populaton", "Quy tắc R1: không có mục thông tin chung 'populaton' tại vị trí 10" },
        { "3.1.a 5", "Quy tắc R1: cần phép so sánh (<=, <, >=, >, =, !=), gặp '5' tại vị trí 7" },
        { "3.1.a <=", "Quy tắc R1: thiếu một số hoặc mã ô nhập ở cuối tại vị trí 9" },
        { "3.1.a <= 6.2.a 6.2.b", "Quy tắc R1: ký tự thừa '6.2.b' tại vị trí 16" },
        { "3.1.a * 2 <= 6.2.a", "Quy tắc R1: cần phép so sánh (<=, <, >=, >, =, !=), gặp '*' tại vị trí 7" },
        { "2.1 <= 1", "Quy tắc R1: ô nhập '2.1' không phải là số (Có/Không, phương án hoặc danh sách), không so sánh được tại vị trí 1" },
        { "general.commune = 1", "Quy tắc R1: mục thông tin chung 'commune' không phải là số tại vị trí 1" },
    };

    [Theory]
    [MemberData(nameof(ParseErrors))]
    public void Load_WhenRuleDoesNotParse_ReportsCodeAndPositionInVietnamese(string rule, string message)
    {
        var result = CriteriaSetLoader.Parse(WithRules($"  - {{ code: R1, rule: \"{rule}\", severity: error, message: M }}\n"));

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal("validation_rules[0].rule", error.Path);
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ code: R1, rule: \"3.1.a <= 5\", severity: fatal, message: M }", "validation_rules[0].severity", "Mức độ 'fatal' không xác định")]
    [InlineData("{ code: R1, rule: \"3.1.a <= 5\", severity: error }", "validation_rules[0].message", "Thiếu 'message'")]
    [InlineData("{ code: R1, rule: \"3.1.a <= 5\", severity: error, message: M, level: 2 }", "validation_rules[0].level", "Khóa không xác định")]
    public void Load_WhenRuleFieldIsWrong_NamesTheField(string item, string path, string message)
    {
        var result = CriteriaSetLoader.Parse(WithRules($"  - {item}\n"));

        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_WhenTwoRulesShareACode_RefusesTheSecond()
    {
        var result = CriteriaSetLoader.Parse(WithRules("""
              - { code: R1, rule: "3.1.a <= 5", severity: error, message: M }
              - { code: R1, rule: "3.1.a <= 6", severity: error, message: M }
            """));

        Assert.Contains(result.Errors, e => e.Path == "validation_rules[1].code" && e.Message == "Mã quy tắc 'R1' bị trùng");
    }

    [Theory]
    [InlineData("3.1.a <= 100", 100, false)]
    [InlineData("3.1.a <= 100", 101, true)]
    [InlineData("3.1.a < 100", 100, true)]
    [InlineData("3.1.a >= 100", 99, true)]
    [InlineData("3.1.a > 100", 100, true)]
    [InlineData("3.1.a = 100", 100, false)]
    [InlineData("3.1.a == 100", 99, true)]
    [InlineData("3.1.a != 100", 100, true)]
    [InlineData("3.1.a ≤ 100.5", 100.5, false)]
    [InlineData("-3.1.a + 200 >= 100", 100, false)]
    [InlineData("-3.1.a + 200 >= 100", 101, true)]
    public void Evaluate_ComparesBothSides(string rule, double value, bool broken)
    {
        var set = SetWith($"  - {{ code: R1, rule: \"{rule}\", severity: warning, message: M }}\n");

        var violations = ValidationRules.Evaluate(set, Unit(new() { ["3.1.a"] = value }));

        Assert.Equal(broken, violations.Count == 1);
    }

    [Fact]
    public void Evaluate_SumsAndReportsBothSides()
    {
        var set = SetWith("  - { code: R2, rule: \"6.2.c + 6.2.d <= 6.2.a + 6.2.b\", severity: warning, message: Lớn hơn tổng. }\n");

        var v = Assert.Single(ValidationRules.Evaluate(set, Unit(new() { ["6.2.a"] = 10, ["6.2.b"] = 5, ["6.2.c"] = 9, ["6.2.d"] = 7 })));

        Assert.Equal((16m, 15m), (v.Left, v.Right));
        Assert.Equal("16 > 15", v.Detail);
        Assert.Equal("Lớn hơn tổng. (quy tắc R2: 6.2.c + 6.2.d <= 6.2.a + 6.2.b; 16 > 15)", v.Describe());
        Assert.Empty(ValidationRules.Evaluate(set, Unit(new() { ["6.2.a"] = 10, ["6.2.b"] = 6, ["6.2.c"] = 9, ["6.2.d"] = 7 })));
    }

    [Fact]
    public void Evaluate_WhenAFigureIsMissing_DoesNotEvaluateTheRule()
    {
        var set = SetWith("  - { code: R2, rule: \"6.2.c + 6.2.d <= 6.2.a + 6.2.b\", severity: error, message: M }\n");

        Assert.Empty(ValidationRules.Evaluate(set, Unit(new() { ["6.2.a"] = 1, ["6.2.b"] = 1, ["6.2.c"] = 900, ["6.2.d"] = null })));
        Assert.Empty(ValidationRules.Evaluate(set, Unit(new() { ["6.2.c"] = 900, ["6.2.d"] = 900 })));
    }

    [Fact]
    public void Evaluate_ReadsGeneralByCodeOrKey_AndAnInputFallsBackToItsGeneralItem()
    {
        var set = SetWith("""
              - { code: R1, rule: "3.1.a <= general.population", severity: error, message: M }
              - { code: R2, rule: "3.1.a <= 3.1.b", severity: error, message: M }
            """);

        Assert.Equal(["R1", "R2"], ValidationRules.Evaluate(set, Unit(new() { ["3.1.a"] = 11 }, new() { ["1.4"] = 10 })).Select(v => v.Code));
        Assert.Equal(["R1", "R2"], ValidationRules.Evaluate(set, Unit(new() { ["3.1.a"] = 11 }, new() { ["population"] = 10 })).Select(v => v.Code));
        // 3.1.b overridden: R2 reads the override, R1 still the general item.
        Assert.Equal(["R1"], ValidationRules.Evaluate(set, Unit(new() { ["3.1.a"] = 11, ["3.1.b"] = 20 }, new() { ["1.4"] = 10 })).Select(v => v.Code));
        Assert.Empty(ValidationRules.Evaluate(set, Unit(new() { ["3.1.a"] = 11 })));
    }

    [Fact]
    public void ScoreJson_ListsBrokenWarningsPerUnit_AndNotErrors()
    {
        var set = SetWith("""
              - { code: W1, rule: "6.2.c <= 6.2.a", severity: warning, message: C lớn hơn A. }
              - { code: E1, rule: "6.2.d <= 6.2.b", severity: error, message: D lớn hơn B. }
            """);
        var cohort = ScoringEngine.Score(set, [
            new UnitValues("XA-1", new Dictionary<string, object?> { ["6.2.a"] = 1, ["6.2.b"] = 1, ["6.2.c"] = 2, ["6.2.d"] = 2 }),
            new UnitValues("XA-2", new Dictionary<string, object?> { ["6.2.a"] = 3, ["6.2.c"] = 2 }),
        ]);

        using var doc = JsonDocument.Parse(ScoreJson.Write(cohort));
        var units = doc.RootElement.GetProperty("units");
        var w = Assert.Single(units[0].GetProperty("warnings").EnumerateArray());
        Assert.Equal("W1", w.GetProperty("code").GetString());
        Assert.Equal("6.2.c <= 6.2.a", w.GetProperty("rule").GetString());
        Assert.Equal("C lớn hơn A.", w.GetProperty("message").GetString());
        Assert.Empty(units[1].GetProperty("warnings").EnumerateArray());
        Assert.Equal(["W1", "E1"], cohort.Units[0].RuleViolations.Select(v => v.Code));
    }

    [Fact]
    public void YamlWriter_WritesRulesBack_AndTheyLoadTheSame()
    {
        var set = SetWith("""
              - { code: R1, rule: "3.1.a <= general.population", severity: error, message: "Số người: không thể lớn hơn dân số." }
              - { code: R2, rule: "6.2.c+6.2.d<=6.2.a+6.2.b", severity: warning, message: M }
            """);

        var again = Load(CriteriaSetYamlWriter.Write(set));

        Assert.Equal(
            set.ValidationRules.Select(r => (r.Code, r.Text, r.Message, r.Severity)),
            again.ValidationRules.Select(r => (r.Code, r.Text, r.Message, r.Severity)));
    }

    [Theory]
    [InlineData("hung-yen-commune-2024")]
    [InlineData("gia-lai-district-2023")]
    [InlineData("bac-giang-district-2024")]
    public void BuiltInSets_CarryRulesThatHoldForConsistentFigures(string id)
    {
        var set = BuiltInLibraries.Load(id);
        Assert.NotEmpty(set.ValidationRules);
        Assert.All(set.ValidationRules, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        // Every reference set to the same figure: every "<=", ">=" and "=" rule holds, so none is broken by design.
        var values = set.ValueAddresses.Where(a => !a.IsList && a.Type != InputType.Boolean && a.OptionCount == 0)
            .ToDictionary(a => a.Address, _ => (object?)100);
        var general = set.General.ToDictionary(g => g.Code, _ => (object?)100);
        var broken = ValidationRules.Evaluate(set, new UnitValues("X", values, general));
        Assert.DoesNotContain(broken, v => v.Rule.Comparison is RuleComparison.LessOrEqual or RuleComparison.GreaterOrEqual or RuleComparison.Equal
            && v.Rule.Left.Count == 1 && v.Rule.Right.Count == 1);
    }

    [Fact]
    public void HungYen_RefusesMoreOnlineRecordsThanRecords()
    {
        var set = BuiltInLibraries.Load("hung-yen-commune-2024");

        var v = Assert.Single(ValidationRules.Evaluate(set, Unit(new() { ["6.3.a"] = 100, ["6.3.b"] = 60, ["6.3.c"] = 50 })));

        Assert.Equal(("HS-6.3", RuleSeverity.Error), (v.Code, v.Severity));
        Assert.Equal("110 > 100", v.Detail);
    }
}
