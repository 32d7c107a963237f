using DtiPortal.Domain.Criteria;
using static DtiPortal.Domain.Tests.TestSets;

namespace DtiPortal.Domain.Tests.Criteria;

public class CriteriaSetLoaderTests
{
    private const string TwoCriteria = """
        maxPoints: 100
        tree:
          - code: "1"
            name: Nhận thức số
            max: 100
            children:
              - { code: "1.1", name: A, max: 50, method: yesno }
              - { code: "1.2", name: B, max: 50, method: yesno }
        """;

    public static TheoryData<string, string, string, string> Errors() => new()
    {
        { "duplicate code", TwoCriteria.Replace("\"1.2\"", "\"1.1\""), "tree[0].children[1].code", "Mã tiêu chí '1.1' bị trùng" },
        { "group sum", TwoCriteria.Replace("max: 50, method: yesno }\n", "max: 45, method: yesno }\n").Replace("max: 100\n    children", "max: 100\n    children"),
            "tree[0].max", "Tổng điểm tối đa của các chỉ số con (95) khác điểm tối đa của '1' (100)" },
        { "unknown method", TwoCriteria.Replace("name: B, max: 50, method: yesno", "name: B, max: 50, method: ratoi"), "tree[0].children[1].method", "Phương pháp tính điểm không xác định: 'ratoi'" },
        { "undeclared input", TwoCriteria.Replace("name: B, max: 50, method: yesno", "name: B, max: 50, method: ratio, ratio: a/c, inputs: [{ key: a, label: A }, { key: b, label: B }]"),
            "tree[0].children[1].ratio", "Công thức dùng đầu vào chưa khai báo: 'c'" },
        { "maxPoints", TwoCriteria.Replace("maxPoints: 100", "maxPoints: 1000"), "maxPoints", "Tổng điểm tối đa của các chỉ số chính (100) khác maxPoints (1.000)" },
        { "missing method", TwoCriteria.Replace(", method: yesno }\n      - { code: \"1.2\"", " }\n      - { code: \"1.2\""), "tree[0].children[0].method", "thiếu phương pháp tính điểm" },
        { "unknown key", TwoCriteria.Replace("name: A,", "name: A, methd: x,"), "tree[0].children[0].methd", "Khóa không xác định: 'methd'" },
        { "target not percent", TwoCriteria.Replace("name: B, max: 50, method: yesno", "name: B, max: 50, method: ratio-target, target: 80"), "tree[0].children[1].target", "phần trăm" },
        { "param of other method", TwoCriteria.Replace("name: B, max: 50, method: yesno", "name: B, max: 50, method: ratio, target: \"80%\""), "tree[0].children[1].target", "không dùng cho phương pháp 'ratio'" },
        { "choice share", TwoCriteria.Replace("name: B, max: 50, method: yesno", "name: B, max: 50, method: choice, options: [{ label: X }]"), "tree[0].children[1].options[0]", "đúng một trong 'fraction' hoặc 'points'" },
        { "bad general ref", TwoCriteria.Replace("name: B, max: 50, method: yesno", "name: B, max: 50, method: ratio, ratio: a/b, inputs: [{ key: a, label: A }, { key: b, label: B, general: populaton }]"),
            "tree[0].children[1].inputs[1].general", "Mục thông tin chung không tồn tại: 'populaton'" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Parse_WhenInvalid_ReportsErrorWithPathAndLoadsNothing(string name, string body, string path, string message)
    {
        var result = CriteriaSetLoader.Parse(Header + body);
        Assert.False(result.Success, name);
        Assert.Null(result.Set);
        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void Parse_WhenValid_LoadsTree()
    {
        var result = CriteriaSetLoader.Parse(Header + TwoCriteria);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal(["1", "1.1", "1.2"], result.Set!.AllNodes.Select(n => n.Code));
        Assert.Equal(new DateOnly(2024, 1, 1), result.Set.Decision.Date);
    }

    [Fact]
    public void Parse_WhenSeveralErrors_ReportsAllOfThem()
    {
        var body = TwoCriteria.Replace("\"1.2\"", "\"1.1\"").Replace("method: yesno }\n      - ", "method: ratoi }\n      - ");
        var result = CriteriaSetLoader.Parse(Header + body);
        Assert.True(result.Errors.Count >= 2, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Parse_WhenYamlBroken_ReportsLine()
    {
        var result = CriteriaSetLoader.Parse("format: dti-criteria/1\ntree: [\n");
        Assert.False(result.Success);
        Assert.NotNull(result.Errors[0].Line);
    }

    [Fact]
    public void Parse_WhenHeaderWrong_ReportsEachField()
    {
        var result = CriteriaSetLoader.Parse("format: dti/2\nid: Bad Id\nversion: 0\nname: X\nlevel: village\ntree: []\n");
        var paths = result.Errors.Select(e => e.Path).ToList();
        Assert.Contains("format", paths);
        Assert.Contains("id", paths);
        Assert.Contains("version", paths);
        Assert.Contains("level", paths);
        Assert.Contains("decision", paths);
    }

    private const string LevelsHeader = """
        levels:
          - { level: 1, name: Khởi động }
          - { level: 2, name: Kết nối }
          - { level: 3, name: Cơ bản }
        tree:
          - code: "I"
            kind: pillar
            name: Chính quyền số
            children:
              - code: "I.1"
                name: Tỷ lệ hồ sơ trực tuyến
        """;

    [Fact]
    public void Parse_WhenLevelThresholdDecreases_ReportsIt()
    {
        var yaml = Header + LevelsHeader + "\n        levels: { 1: na, 2: { min: \"50%\" }, 3: { min: \"40%\" } }\n";
        var result = CriteriaSetLoader.Parse(yaml);
        Assert.Contains(result.Errors, e => e.Path == "tree[0].children[0].levels.3" && e.Message == "Yêu cầu mức 3 thấp hơn mức 2");
    }

    [Fact]
    public void Parse_WhenLevelBecomesNotApplicable_ReportsIt()
    {
        var yaml = Header + LevelsHeader + "\n        levels: { 1: { min: \"10%\" }, 2: na, 3: { min: \"40%\" } }\n";
        var result = CriteriaSetLoader.Parse(yaml);
        Assert.Contains(result.Errors, e => e.Message.Contains("không áp dụng ở mức 2"));
    }

    [Fact]
    public void Parse_WhenLevelsValid_Loads()
    {
        var set = Load(Header + LevelsHeader + "\n        levels: { 1: na, 2: { min: \"30%\" }, 3: { min: \"50%\" } }\n");
        Assert.Equal(3, set.Levels.Count);
        Assert.IsType<LevelRequirement.Min>(set.Find("I.1")!.LevelRequirements[3]);
    }
}
