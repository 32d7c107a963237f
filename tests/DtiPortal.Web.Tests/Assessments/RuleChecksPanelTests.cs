using Bunit;
using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Web.Features.Assessments;

namespace DtiPortal.Web.Tests.Assessments;

/// <summary>
/// The "Kiểm tra số liệu" panel (spec §10): on the entry page a warning has a field for its explanation and the save
/// hands the rule's code and the text to the page; a refusal is shown beside it. On the review page (no explaining)
/// the unit's explanation is shown, or that there is none; an error rule is never explained.
/// </summary>
public sealed class RuleChecksPanelTests
{
    private static RuleCheck Warning(string? explanation = null) => new(
        "DVC-6.2", "6.2.c + 6.2.d <= 6.2.a + 6.2.b", "Số DVCTT có hồ sơ trực tuyến lớn hơn tổng số DVCTT.", RuleSeverity.Warning, "16 > 15",
        ["6.2.c", "6.2.d", "6.2.a", "6.2.b"], ["6.2"], explanation, explanation is null ? null : "Nguyễn Thị Hoa",
        explanation is null ? null : new DateTimeOffset(2024, 12, 10, 2, 30, 0, TimeSpan.Zero), explanation is null ? null : "16 > 15");

    private static RuleCheck Error() => new(
        "DS-3.1", "3.1.a <= general.population", "Số người có điện thoại thông minh không thể lớn hơn dân số.", RuleSeverity.Error, "9.500 > 9.120",
        ["3.1.a", "general:1.4"], ["3.1"], null, null, null, null);

    [Fact]
    public async Task OnTheEntryPage_AWarningIsExplainedThroughTheField_AndARefusalIsShownBesideIt()
    {
        await using var ctx = PortalTestContext.Create();
        var calls = new List<(string Code, string Text)>();
        string? answer = "Cảnh báo DVC-6.2: nội dung giải trình không được để trống.";
        var panel = ctx.Render<RuleChecksPanel>(p => p
            .Add(x => x.Checks, [Warning(), Error()])
            .Add(x => x.CanExplain, true)
            .Add(x => x.OnExplain, (code, text) => { calls.Add((code, text)); return Task.FromResult<string?>(answer); }));

        Assert.Contains("Kiểm tra số liệu: 2 điểm cần xem lại", panel.Find("[data-testid=rule-checks] h2").TextContent);
        Assert.Contains("Số DVCTT có hồ sơ trực tuyến lớn hơn tổng số DVCTT.", panel.Find("[data-testid=rule-message-DVC-6\\.2]").TextContent);
        Assert.Equal("16 > 15", panel.Find("[data-testid=rule-detail-DVC-6\\.2]").TextContent);
        Assert.Contains("Chưa giải trình: cần ghi trước khi nộp.", panel.Find("[data-testid=rule-check-DVC-6\\.2]").TextContent);
        // The error rule offers no field: it is corrected, not explained.
        var error = panel.Find("[data-testid=rule-check-DS-3\\.1]");
        Assert.Empty(error.QuerySelectorAll("textarea"));
        Assert.Contains("Lỗi không giải trình được", error.TextContent);
        Assert.Contains("thông tin chung mục 1.4", error.TextContent);

        panel.Find("[data-testid=rule-explain-save-DVC-6\\.2]").Click();
        Assert.Equal(("DVC-6.2", ""), calls.Single());
        Assert.Equal(answer, panel.Find("[data-testid=rule-explain-error-DVC-6\\.2]").TextContent);

        answer = null;
        panel.Find("[data-testid=rule-check-DVC-6\\.2] textarea").Input("Một dịch vụ được tính ở cả hai nhóm theo hướng dẫn của huyện.");
        panel.Find("[data-testid=rule-explain-save-DVC-6\\.2]").Click();
        Assert.Equal(("DVC-6.2", "Một dịch vụ được tính ở cả hai nhóm theo hướng dẫn của huyện."), calls[1]);
        Assert.Empty(panel.FindAll("[data-testid=rule-explain-error-DVC-6\\.2]"));
        Assert.Equal("Giải trình cảnh báo DVC-6.2", panel.Find("[data-testid=rule-check-DVC-6\\.2] label").TextContent.Trim());
    }

    [Fact]
    public async Task OnTheReviewPage_TheUnitsExplanationIsShownAndNothingCanBeTyped()
    {
        await using var ctx = PortalTestContext.Create();
        var panel = ctx.Render<RuleChecksPanel>(p => p.Add(x => x.Checks, [Warning("Số liệu theo báo cáo quý IV của huyện.")]));

        Assert.Empty(panel.FindAll("textarea"));
        Assert.Empty(panel.FindAll("button"));
        var shown = panel.Find("[data-testid=rule-explanation-DVC-6\\.2]").TextContent;
        Assert.Contains("Số liệu theo báo cáo quý IV của huyện.", shown);
        Assert.Contains("Nguyễn Thị Hoa, 09:30 10/12/2024", shown);

        panel.Render(p => p.Add(x => x.Checks, [Warning()]));
        Assert.Equal("Đơn vị chưa giải trình.", panel.Find("[data-testid=rule-no-explanation-DVC-6\\.2]").TextContent);
    }

    [Fact]
    public async Task WithNothingBroken_ThePanelIsNotShown()
    {
        await using var ctx = PortalTestContext.Create();
        var panel = ctx.Render<RuleChecksPanel>(p => p.Add(x => x.Checks, []).Add(x => x.CanExplain, true));

        Assert.Empty(panel.FindAll("[data-testid=rule-checks]"));
    }
}
