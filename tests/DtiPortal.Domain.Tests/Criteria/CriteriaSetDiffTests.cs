using DtiPortal.Domain.Criteria;
using static DtiPortal.Domain.Tests.TestSets;

namespace DtiPortal.Domain.Tests.Criteria;

public class CriteriaSetDiffTests
{
    private static string Tree(string second, string third) => Header + $$"""
        maxPoints: 100
        tree:
          - code: "1"
            name: Nhóm
            max: 100
            children:
              - { code: "1.1", name: A, max: 50, method: yesno }
              - {{second}}
        {{third}}
        """;

    [Fact]
    public void Compare_WhenCriteriaChange_ListsAddedRemovedChanged()
    {
        var v1 = Load(Tree("{ code: \"1.2\", name: B, max: 50, method: ratio-target, target: \"80%\" }", ""));
        var v2 = Load(Tree("{ code: \"1.3\", name: C, max: 50, method: yesno }", ""));
        var diff = CriteriaSetDiff.Compare(v1, v2);
        Assert.Equal("1.3", Assert.Single(diff.Added).Code);
        Assert.Equal("1.2", Assert.Single(diff.Removed).Code);
        Assert.Empty(diff.Changed);
    }

    [Theory]
    [InlineData("{ code: \"1.2\", name: B2, max: 50, method: ratio-target, target: \"80%\" }", "name")]
    [InlineData("{ code: \"1.2\", name: B, max: 50, method: ratio-target, target: \"70%\" }", "parameters")]
    [InlineData("{ code: \"1.2\", name: B, max: 50, method: ratio }", "method")]
    public void Compare_WhenOneFieldDiffers_ReportsIt(string second, string field)
    {
        var v1 = Load(Tree("{ code: \"1.2\", name: B, max: 50, method: ratio-target, target: \"80%\" }", ""));
        var v2 = Load(Tree(second, ""));
        var change = Assert.Single(CriteriaSetDiff.Compare(v1, v2).Changed);
        Assert.Equal("1.2", change.Code);
        Assert.Equal([field], change.Fields);
    }

    [Fact]
    public void Compare_WhenMaxMoves_ReportsMaxOnCriterionAndGroups()
    {
        var v1 = Load(Tree("{ code: \"1.2\", name: B, max: 50, method: yesno }", ""));
        var v2 = Load(Tree("{ code: \"1.2\", name: B, max: 40, method: yesno }", "").Replace("max: 100", "max: 90").Replace("maxPoints: 100", "maxPoints: 90"));
        var diff = CriteriaSetDiff.Compare(v1, v2);
        Assert.Contains(diff.Changed, c => c.Code == "1.2" && c.Fields.Contains("max"));
        Assert.Contains(diff.Changed, c => c.Code == "1" && c.Fields.Contains("max"));
    }

    [Fact]
    public void Compare_WhenSameSet_IsEmpty()
    {
        var set = BuiltInLibraries.Load("hung-yen-commune-2024");
        Assert.True(CriteriaSetDiff.Compare(set, set).IsEmpty);
    }
}
