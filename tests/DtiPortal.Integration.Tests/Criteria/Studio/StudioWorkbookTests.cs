using DtiPortal.Application.Criteria.Studio;
using DtiPortal.Application.Criteria.Workbook;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Integration.Tests.Criteria.Studio;

/// <summary>
/// Issue 14: the studio's "start from a spreadsheet" and "download as spreadsheet" through <see cref="CriteriaWorkbook"/>.
/// </summary>
public class StudioWorkbookTests(StudioFixture fx) : IClassFixture<StudioFixture>
{
    [Fact]
    public async Task CreateFromWorkbook_OfAStoredSetsWorkbook_MakesADraftThatLoadsAsTheSameSet()
    {
        using var workbook = new MemoryStream();
        CriteriaWorkbook.Write(BuiltInLibraries.ReadText(StudioFixture.BuiltInId)!, workbook);
        workbook.Position = 0;
        var result = await fx.As<CriteriaStudio>(fx.AdminP).CreateFromWorkbookAsync(workbook, "hung-yen.xlsx");
        Assert.True(result.Succeeded, result.Message);
        var draft = await fx.As<CriteriaStudio>(fx.AdminP).GetAsync(result.DraftId!.Value);
        Assert.Equal("Bảng tính hung-yen.xlsx", draft!.Origin);
        var set = CriteriaSetLoader.Parse(draft.Yaml).Set;
        Assert.NotNull(set);
        Assert.True(CriteriaSetDiff.Compare(BuiltInLibraries.Load(StudioFixture.BuiltInId), set).IsEmpty);
    }

    [Fact]
    public async Task CreateFromWorkbook_OfABrokenWorkbook_NamesTheProblems_AndMakesNoDraft()
    {
        await using var owner0 = fx.Db.OwnerContext();
        var before = await owner0.CriteriaSetDrafts.CountAsync();
        var result = await fx.As<CriteriaStudio>(fx.AdminP).CreateFromWorkbookAsync(new MemoryStream("không phải bảng tính"u8.ToArray()), "hong.xlsx");
        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.Problems);
        Assert.StartsWith("Bảng tính \"hong.xlsx\" có", result.Message);
        await using var owner = fx.Db.OwnerContext();
        Assert.Equal(before, await owner.CriteriaSetDrafts.CountAsync());
    }

    [Fact]
    public async Task DraftWorkbook_WrittenFromADraft_ReadsBackToTheSameSet()
    {
        var copy = await fx.As<CriteriaStudio>(fx.AdminP).CopyAsync(StudioFixture.BuiltInId, 1);
        var draft = await fx.As<CriteriaStudio>(fx.AdminP).GetAsync(copy.DraftId!.Value);
        using var workbook = new MemoryStream();
        CriteriaWorkbook.Write(draft!.Yaml, workbook); // what GET /api/soan-bo-chi-so/nhap/{id}.xlsx serves
        workbook.Position = 0;
        var read = CriteriaWorkbook.Read(workbook);
        Assert.True(read.Success, string.Join("\n", read.Problems));
        Assert.True(CriteriaSetDiff.Compare(CriteriaSetLoader.Parse(draft.Yaml).Set!, CriteriaSetLoader.Parse(read.Yaml!).Set!).IsEmpty);
    }
}
