using DtiPortal.Application.Criteria.Studio;
using DtiPortal.Domain.Criteria;

namespace DtiPortal.Integration.Tests.Criteria.Studio;

/// <summary>Issue 14: the studio edits a set through YamlDotNet's representation model without losing a field.</summary>
public class DraftDocumentTests
{
    public static TheoryData<string> BuiltIns() => [.. BuiltInLibraries.Ids];

    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void ToYaml_OfEveryBuiltInSet_LoadsAsTheSameSet(string id)
    {
        var text = BuiltInLibraries.ReadText(id)!;
        var doc = DraftDocument.TryLoad(text, out var error);
        Assert.Null(error);
        var again = CriteriaSetLoader.Parse(doc!.ToYaml());
        Assert.True(again.Success, string.Join("\n", again.Errors));
        var diff = CriteriaSetDiff.Compare(BuiltInLibraries.Load(id), again.Set!);
        Assert.True(diff.IsEmpty, diff.ToString());
        Assert.DoesNotContain("...", doc.ToYaml().TrimEnd()[^5..]);
    }

    [Fact]
    public void SetField_WhenCriterionMaxChanges_ReportsTheParentSumAtTheParentNode()
    {
        var doc = DraftDocument.TryLoad(BuiltInLibraries.ReadText("hung-yen-commune-2024")!, out _)!;
        var node = doc.Nodes().Single(n => n.Code == "1.1");
        doc.SetField(node.Path, "max", "25");
        var parsed = CriteriaSetLoader.Parse(doc.ToYaml());
        Assert.False(parsed.Success);
        var error = Assert.Single(parsed.Errors);
        Assert.Equal("tree[0]", DraftDocument.NodeOfError(error.Path));
        Assert.Contains("Tổng điểm tối đa của các chỉ số con (105) khác điểm tối đa của '1' (100)", error.Message);

        // While the parent does not add up, the criterion alone still loads, so the form can describe its rule.
        var alone = CriteriaSetLoader.Parse(doc.SingleCriterionYaml(node.Path)!);
        Assert.True(alone.Success, string.Join("\n", alone.Errors));
        Assert.Equal(25m, alone.Set!.Find("1.1")!.Max);

        doc.SetField(doc.Nodes().Single(n => n.Code == "1").Path, "max", "105");
        doc.SetHeader("maxPoints", "1005");
        parsed = CriteriaSetLoader.Parse(doc.ToYaml());
        Assert.True(parsed.Success, string.Join("\n", parsed.Errors));
        Assert.Equal(25m, parsed.Set!.Find("1.1")!.Max);
        Assert.Contains("Người đứng đầu", parsed.Set.Find("1.1")!.Name);
    }

    [Fact]
    public void AddMoveDelete_KeepCodesInOrder_AndTheSetLoads()
    {
        var doc = DraftDocument.TryLoad(CriteriaStudio.EmptySet("thu", "commune", 2025), out _)!;
        var first = doc.Nodes().Single(n => n.Code == "1.1").Path;
        var added = doc.Add(first, asChild: false)!;
        Assert.Equal("1.2", doc.Field(added, "code"));
        doc.SetField(added, "max", "40");
        doc.SetField(first, "max", "60");
        var moved = doc.Move(added, -1);
        Assert.Equal("tree[0].children[0]", moved);
        Assert.Equal("1.2", doc.Field(moved, "code")); // codes stay until the admin renumbers: values are matched by code
        doc.Renumber();
        Assert.Equal("1.1", doc.Field(moved, "code"));
        Assert.Equal("Tiêu chí mới", doc.Field(moved, "name"));
        doc.SetDecision("number", "12/QĐ-UBND");
        doc.SetDecision("issuer", "UBND tỉnh Hưng Yên");
        var parsed = CriteriaSetLoader.Parse(doc.ToYaml());
        Assert.True(parsed.Success, string.Join("\n", parsed.Errors));
        Assert.Equal(["1", "1.1", "1.2"], parsed.Set!.AllNodes.Select(n => n.Code));

        doc.Delete("tree[0].children[0]");
        Assert.Equal(["1", "1.2"], doc.Nodes().Select(n => n.Code)); // deleting does not renumber either
        Assert.Equal("Tiêu chí thứ nhất", doc.Field("tree[0].children[0]", "name"));
    }

    [Fact]
    public void BlockAndLevelFields_RoundTrip()
    {
        var doc = DraftDocument.TryLoad(BuiltInLibraries.ReadText("mic-2361-commune")!, out _)!;
        var criterion = doc.Nodes().First(n => !n.IsGroup).Path;
        Assert.Equal("{min: 50%}", doc.LevelCell(criterion, 1).Replace("\"", ""));
        Assert.Null(doc.SetLevelCell(criterion, 1, "{ min: \"55%\" }"));
        Assert.NotNull(doc.SetLevelCell(criterion, 2, "{ min: "));
        var parsed = CriteriaSetLoader.Parse(doc.ToYaml());
        Assert.True(parsed.Success, string.Join("\n", parsed.Errors));
        var node = parsed.Set!.Find(doc.Field(criterion, "code")!)!;
        Assert.Equal("Tối thiểu 55%", MethodDescriber.DescribeRequirement(node, 1));
    }

    [Fact]
    public void WithHeader_ChangesIdAndVersion_KeepsComments()
    {
        var text = CriteriaStudio.WithHeader(BuiltInLibraries.ReadText("hung-yen-commune-2024")!, "hung-yen-commune-2025", 2);
        Assert.Contains("# I. THÔNG TIN CHUNG", text);
        var set = CriteriaSetLoader.Parse(text).Set!;
        Assert.Equal(("hung-yen-commune-2025", 2), (set.Id, set.Version));
        Assert.True(CriteriaSetDiff.Compare(BuiltInLibraries.Load("hung-yen-commune-2024"), set).IsEmpty);
    }
}
