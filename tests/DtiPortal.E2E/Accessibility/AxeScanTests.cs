using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace DtiPortal.E2E.Accessibility;

/// <summary>One server for the scans: they only read.</summary>
public sealed class AxeServerFixture : IAsyncLifetime
{
    public AppServer App { get; private set; } = default!;
    public async Task InitializeAsync() => App = await AppServer.StartAsync(new Dictionary<string, string> { ["Email:Mode"] = "None" });
    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>
/// Issue 13, item 5: an axe-core scan (Deque.AxeCore.Playwright, the axe-core engine bundled in the package) over the main
/// page of every role, as each role sees it after signing in. No critical and no serious violation is allowed; the moderate
/// ones are printed so they can be fixed where cheap.
/// </summary>
[Collection(BrowserCollection.Name)]
public class AxeScanTests(BrowserFixture browser, AxeServerFixture server, ITestOutputHelper output) : IClassFixture<AxeServerFixture>
{
    private AppServer App => server.App;

    [Fact]
    public async Task SignInAndPublicPages_WhenScanned_HaveNoCriticalOrSeriousViolation()
    {
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        var report = new StringBuilder();
        await ScanAsync(page, "/dang-nhap", report, interactive: false);
        await ScanAsync(page, "/ket-qua", report, interactive: false);
        AssertClean(report);
    }

    [Fact]
    public async Task CommuneOfficerPages_WhenScanned_HaveNoCriticalOrSeriousViolation()
    {
        var (context, page) = await UserAsync("xa.lacdao", "/danh-gia");
        await using var _ = context;
        var report = new StringBuilder();
        await ScanAsync(page, "/danh-gia", report);
        var id = await FirstAssessmentIdAsync(page);
        await ScanAsync(page, $"/danh-gia/{id}", report);
        AssertClean(report);
    }

    [Fact]
    public async Task ReviewerPages_WhenScanned_HaveNoCriticalOrSeriousViolation()
    {
        var (context, page) = await UserAsync("thamtra.vanlam", "/tham-dinh");
        await using var _ = context;
        var report = new StringBuilder();
        await ScanAsync(page, "/tham-dinh", report);
        await ScanAsync(page, "/tong-quan", report);
        await ScanAsync(page, "/tham-dinh/kiem-tra-chat-luong", report); // issue 15: the data-quality list
        // The review page of an assessment in the reviewer's district (any status shows the page).
        var (officerContext, officerPage) = await UserAsync("xa.lacdao", "/danh-gia");
        int id;
        await using (officerContext) id = await FirstAssessmentIdAsync(officerPage);
        await ScanAsync(page, $"/tham-dinh/{id}", report);
        AssertClean(report);
    }

    [Fact]
    public async Task AdminPages_WhenScanned_HaveNoCriticalOrSeriousViolation()
    {
        var (context, page) = await UserAsync("quantri.hungyen", "/quan-tri/dot-danh-gia");
        await using var _ = context;
        var report = new StringBuilder();
        foreach (var path in new[] { "/quan-tri/dot-danh-gia", "/quan-tri/nguoi-dung", "/quan-tri/nhat-ky", "/bo-chi-so", "/quan-tri/soan-bo-chi-so", "/don-vi", "/" })
            await ScanAsync(page, path, report);
        AssertClean(report);
    }

    private async Task<(IBrowserContext, IPage)> UserAsync(string userName, string returnUrl)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, App, userName, returnUrl);
        return (context, page);
    }

    private static async Task<int> FirstAssessmentIdAsync(IPage page)
    {
        await page.GotoAsync(page.Url.Split("/danh-gia")[0] + "/danh-gia");
        var link = page.Locator("a[href*='/danh-gia/']").First;
        await link.WaitForAsync();
        var href = await link.GetAttributeAsync("href") ?? "";
        return int.Parse(Regex.Match(href, @"/danh-gia/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Opens the page, waits until it is live, runs axe and appends every violation to the report.</summary>
    private async Task ScanAsync(IPage page, string path, StringBuilder report, bool interactive = true)
    {
        await page.GotoAsync(App.BaseUrl + path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        if (interactive) await Browser.WaitForCircuitAsync(page);
        await page.WaitForTimeoutAsync(300); // the first interactive render settles
        var result = await page.RunAxe();
        foreach (var v in result.Violations)
        {
            var line = $"{path}: [{v.Impact}] {v.Id} — {v.Help} ({v.Nodes.Length}× e.g. {string.Join(" ", v.Nodes.First().Target?.ToString() ?? "")})";
            output.WriteLine(line);
            if (v.Impact is "critical" or "serious") report.AppendLine(line + "\n    " + v.Nodes.First().Html);
        }
    }

    private static void AssertClean(StringBuilder report) =>
        Assert.True(report.Length == 0, "Critical or serious accessibility violations:\n" + report);
}
