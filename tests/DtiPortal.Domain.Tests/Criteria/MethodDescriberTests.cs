using DtiPortal.Domain.Criteria;
using static DtiPortal.Domain.Tests.TestSets;

namespace DtiPortal.Domain.Tests.Criteria;

/// <summary>The plain-Vietnamese method text the set pages and the data-entry form show, one case per method (spec §5).</summary>
public class MethodDescriberTests
{
    private const string Ab = "\ninputs:\n  - { key: a, label: Tử số }\n  - { key: b, label: Mẫu số }";

    public static TheoryData<string, string, string> Cases() => new()
    {
        // (method, method lines, expected text)
        { "yesno", "method: yesno", "Có: điểm tối đa; Không: 0 điểm" },
        { "choice", "method: choice\noptions:\n  - { label: Chủ tịch, fraction: 1 }\n  - { label: Phó Chủ tịch, fraction: 1/2 }\n  - { label: Chưa phân công, fraction: 0 }",
            "Chọn một phương án: Chủ tịch: điểm tối đa; Phó Chủ tịch: 50% điểm tối đa (10 điểm); Chưa phân công: 0 điểm" },
        { "choice points", "method: choice\noptions:\n  - { label: A, points: 15 }\n  - { label: B, points: 4 }", "Chọn một phương án: A: 15 điểm; B: 4 điểm" },
        { "ratio", "method: ratio\nratio: a/b" + Ab, "Tỷ lệ a/b × điểm tối đa (tỷ lệ trên 100% tính là 100%)" },
        { "ratio percent input", "method: ratio", "Tỷ lệ (%) × điểm tối đa (tỷ lệ trên 100% tính là 100%)" },
        { "ratio-target", "method: ratio-target\nratio: a/b\ntarget: \"80%\"" + Ab,
            "Tỷ lệ a/b; đạt từ 80% trở lên được điểm tối đa, dưới 80% tính theo tỷ lệ a/b ÷ 80% × điểm tối đa" },
        { "ratio-target-plain", "method: ratio-target-plain\nratio: a/b\ntarget: \"80%\"" + Ab,
            "Tỷ lệ a/b; đạt từ 80% trở lên được điểm tối đa, dưới 80% tính theo tỷ lệ a/b × điểm tối đa" },
        { "band", "method: band\nlower: \"60%\"",
            "Tỷ lệ (%); đạt 100% được điểm tối đa; từ 60% đến dưới 100% tính theo tỷ lệ × điểm tối đa; dưới 60%: 0 điểm" },
        { "band all-or-nothing", "method: band\nlower: \"100%\"", "Tỷ lệ (%); đạt 100% được điểm tối đa, dưới 100%: 0 điểm" },
        { "ratio-steps", "method: ratio-steps\nsteps:\n  - { min: \"3%\", fraction: 0.3 }\n  - { min: \"10%\", fraction: 1 }\n  - { min: \"7%\", fraction: 0.7 }",
            "Tỷ lệ (%): từ 10% trở lên: điểm tối đa; từ 7% trở lên: 70% điểm tối đa (14 điểm); từ 3% trở lên: 30% điểm tối đa (6 điểm); dưới 3%: 0 điểm" },
        { "count-tiers", "method: count-tiers\ntiers:\n  - { min: 10, fraction: 1 }\n  - { min: 5, fraction: 1/2 }\n  - { min: 1, fraction: 1/4 }",
            "Số lượng: từ 10 trở lên: điểm tối đa; từ 5 trở lên: 50% điểm tối đa (10 điểm); từ 1 trở lên: 25% điểm tối đa (5 điểm); dưới 1: 0 điểm" },
        { "count-tiers formula", "method: count-tiers\ncount: a+b\ntiers:\n  - { min: 2, points: 3 }" + Ab,
            "Số lượng a+b: từ 2 trở lên: 3 điểm; dưới 2: 0 điểm" },
        { "parts", "method: parts\nparts:\n  - { key: req, label: Đáp ứng yêu cầu, fraction: 0.8 }\n  - { key: ipv6, label: Hỗ trợ IPv6, fraction: 0.2 }",
            "Cộng điểm các nội dung đạt: Đáp ứng yêu cầu (req): 80% điểm tối đa (16 điểm); Hỗ trợ IPv6 (ipv6): 20% điểm tối đa (4 điểm)" },
        { "capped-count", "method: capped-count\npointsEach: 1", "Số lượng × 1 điểm, tối đa 20 điểm" },
        { "peer-relative min-max", "method: peer-relative\nmode: min-max\nratio: a/b" + Ab,
            "So sánh với các đơn vị cùng cấp (Min-Max): (tỷ lệ a/b − thấp nhất) ÷ (cao nhất − thấp nhất) × điểm tối đa" },
        { "peer-relative best", "method: peer-relative\nmode: best",
            "So sánh với đơn vị cao nhất cùng cấp: giá trị ÷ giá trị cao nhất × điểm tối đa" },
        { "direct", "method: direct", "Nhập trực tiếp số điểm, từ 0 đến 20" },
        { "zero denominator max", "method: ratio\nratio: a/b\nzeroDenominator: max" + Ab,
            "Tỷ lệ a/b × điểm tối đa (tỷ lệ trên 100% tính là 100%); mẫu số bằng 0 (không phát sinh) được điểm tối đa" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Describe_ForEachMethod_SaysHowPointsAreEarned(string method, string body, string expected)
    {
        var set = OneCriterion(body);
        Assert.True(set.Find("1.1")!.Method is not null, method);
        Assert.Equal(expected, MethodDescriber.Describe(set.Find("1.1")!));
    }

    [Fact]
    public void Cases_CoverEveryMethodKind()
    {
        var covered = Cases().Select(c => CriteriaSetLoaderKind((string)c[1])).ToHashSet();
        Assert.Equal(Enum.GetValues<MethodKind>().ToHashSet(), covered);
    }

    [Fact]
    public void Describe_Group_SaysItIsTheSumOfItsChildren()
    {
        var set = OneCriterion("method: yesno");
        Assert.Equal("Tổng điểm của các chỉ số thành phần (tối đa 20 điểm)", MethodDescriber.Describe(set.Find("1")!));
    }

    [Fact]
    public void Describe_EveryNodeOfEveryBuiltInSet_IsPlainText()
    {
        foreach (var id in BuiltInLibraries.Ids)
        {
            foreach (var node in BuiltInLibraries.Load(id).AllNodes)
            {
                var text = MethodDescriber.Describe(node);
                Assert.False(string.IsNullOrWhiteSpace(text), $"{id} {node.Code}");
                Assert.DoesNotContain("-target", text); // never the YAML method name
            }
        }
    }

    [Fact]
    public void Describe_Mic2361Criterion_IsLevelsOnly_AndRequirementsReadAsText()
    {
        // seed 002 lines 341–345: I.1 ≥ 50% at level 1, 60% at 2, 70% at 3.
        var node = BuiltInLibraries.Load("mic-2361-commune").Find("I.1")!;
        Assert.Equal("Không chấm điểm: xét đạt yêu cầu của từng mức độ (xem bảng yêu cầu theo mức)", MethodDescriber.Describe(node));
        Assert.Equal("Tối thiểu 50%", MethodDescriber.DescribeRequirement(node, 1));
        Assert.Equal("Tối thiểu 60%", MethodDescriber.DescribeRequirement(node, 2));
    }

    [Fact]
    public void Describe_DistrictAggregate_NamesTheLowerLevelsRule()
    {
        var set = BuiltInLibraries.Load("mic-2361-district");
        var node = set.AllNodes.First(n => n.Aggregate is not null);
        Assert.StartsWith("Tổng hợp mức độ của các đơn vị cấp dưới", MethodDescriber.Describe(node));
        Assert.Contains("ít nhất 50%", MethodDescriber.DescribeRequirement(node, 2));
    }

    public static TheoryData<LevelRequirement, string> Requirements() => new()
    {
        { LevelRequirement.Na, "Không áp dụng" },
        { new LevelRequirement.Present(), "Có" },
        { new LevelRequirement.Present("a"), "Có (a)" },
        { new LevelRequirement.Min(0.7m), "Tối thiểu 70%" },
        { new LevelRequirement.MinCount(1), "Tối thiểu 1" },
        { new LevelRequirement.Any([new LevelRequirement.MinCount(3, "a"), new LevelRequirement.Min(1)]), "Tối thiểu 3 (a) hoặc Tối thiểu 100%" },
        { new LevelRequirement.All([new LevelRequirement.Present(), new LevelRequirement.Min(0.5m)]), "Có và Tối thiểu 50%" },
        { new LevelRequirement.Aggregate(new LevelAggregate(1, 0.5m)), "100% đơn vị cấp dưới đạt mức liền trước, ít nhất 50% đạt mức này" },
    };

    [Theory]
    [MemberData(nameof(Requirements))]
    public void DescribeRequirement_ForEachForm_ReadsAsText(LevelRequirement requirement, string expected) =>
        Assert.Equal(expected, MethodDescriber.DescribeRequirement(requirement));

    private static MethodKind CriteriaSetLoaderKind(string body) => OneCriterion(body).Find("1.1")!.Method!.Kind;
}
