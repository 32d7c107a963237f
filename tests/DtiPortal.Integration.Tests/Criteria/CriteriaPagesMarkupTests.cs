using System.Net;
using System.Text.RegularExpressions;
using DtiPortal.Application.Criteria;
using DtiPortal.Integration.Tests.Infrastructure;
using DtiPortal.Web.Features.Criteria;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DtiPortal.Integration.Tests.Criteria;

/// <summary>
/// The /bo-chi-so pages rendered with the framework's HtmlRenderer over a real database (STACK.md: bUnit does not run
/// here): what each page says, without a browser. The browser tests (DtiPortal.E2E/Criteria) cover clicking through.
/// </summary>
public partial class CriteriaPagesMarkupTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await db.Get<SyncBuiltInSets>().HandleAsync();
        var load = db.Get<LoadCriteriaSet>();
        await load.HandleAsync(CriteriaSetVersionTests.Version1("trang-thu"), "quan.tri");
        await load.HandleAsync(CriteriaSetVersionTests.Version2("trang-thu"), "quan.tri");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ListPage_ShowsEachSetWithVersionsAndWhoLoadedIt()
    {
        var html = await RenderAsync<CriteriaSetsPage>(new());
        Assert.Contains("<p class=\"help\" role=\"note\">", html);
        Assert.Matches(Row("hung-yen-commune-2024") + ".*3047/QĐ-UBND ngày 29/12/2022.*nạp sẵn", html);
        Assert.Matches(Row("trang-thu") + ".*v2.*v1.*quan.tri", html);
    }

    [Fact]
    public async Task VersionPage_HungYen_ShowsMethodMaxInputsAndEvidence()
    {
        var html = await RenderAsync<CriteriaSetVersionPage>(new() { ["SetId"] = "hung-yen-commune-2024", ["Version"] = 1 });
        Assert.Contains("<dd data-testid=\"max-6.3\">40</dd>", html);
        Assert.Contains("Tỷ lệ (b+c)/a; đạt từ 80% trở lên được điểm tối đa, dưới 80% tính theo tỷ lệ (b+c)/a ÷ 80% × điểm tối đa", html);
        Assert.Contains("từ thông tin chung 1.4", html);
        Assert.Contains("Văn bản, tài liệu chứng minh", html);
        Assert.Contains("data-testid=\"no-previous\"", html);
        Assert.DoesNotContain("levels-", html); // a points set has no level table
    }

    [Fact]
    public async Task VersionPage_Mic2361_HasALevelTablePerGroup()
    {
        var html = await RenderAsync<CriteriaSetVersionPage>(new() { ["SetId"] = "mic-2361-commune", ["Version"] = 1 });
        Assert.Contains("data-testid=\"levels-I\"", html);
        Assert.Matches("data-testid=\"levels-row-I.1\".*?Tối thiểu 50%.*?Tối thiểu 60%.*?Tối thiểu 70%", html);
        Assert.Contains("Mức 5<br><span class=\"unit-kind\">Toàn diện</span>", html);
    }

    [Fact]
    public async Task VersionPage_SecondVersion_ListsAddedRemovedChanged()
    {
        var html = await RenderAsync<CriteriaSetVersionPage>(new() { ["SetId"] = "trang-thu", ["Version"] = 2 });
        Assert.Contains("So sánh với phiên bản trước (v1): thêm 1, bỏ 1, thay đổi 1", html);
        Assert.Matches("data-testid=\"diff-added\">.*1.3</strong> Có chuyên mục chuyển đổi số", html);
        Assert.Matches("data-testid=\"diff-removed\">.*1.1</strong> Có kế hoạch chuyển đổi số", html);
        Assert.Matches("data-testid=\"diff-changed\">.*1.2</strong> Tỷ lệ hồ sơ trực tuyến: cách tính:", html);
    }

    [Fact]
    public async Task VersionPage_UnknownVersion_SaysSo()
    {
        var html = await RenderAsync<CriteriaSetVersionPage>(new() { ["SetId"] = "trang-thu", ["Version"] = 9 });
        Assert.Contains("Không có bộ chỉ số <code>trang-thu</code> phiên bản 9.", html);
    }

    private static string Row(string setId) => $"data-testid=\"set-{Regex.Escape(setId)}\"";

    private async Task<string> RenderAsync<TPage>(Dictionary<string, object?> parameters) where TPage : IComponent
    {
        using var scope = db.Services.CreateScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(parameters));
            await output.QuiescenceTask;
            return output.ToHtmlString();
        });
        // One line, entities decoded (the renderer escapes Vietnamese), so patterns read like the page.
        return WhiteSpace().Replace(WebUtility.HtmlDecode(html), " ").Replace("> <", "><");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
