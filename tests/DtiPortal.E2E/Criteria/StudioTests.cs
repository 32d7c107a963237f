using DtiPortal.Application;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Criteria;

/// <summary>
/// Issue 14: a provincial admin turns last year's set into a new one in the browser — copies hung-yen-commune-2024, changes
/// 6.3's max and threshold, sees the parent-sum error, fixes it, tries a value, scores the draft on the demo round,
/// publishes; a round opened with it shows the commune officer the changed criterion; another province's admin never sees
/// the draft or the set.
/// </summary>
[Collection(BrowserCollection.Name)]
public class StudioTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        _app = await AppServer.StartAsync();
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task ProvincialAdmin_CopiesEditsTriesPublishes_AndTheOfficerSeesTheChangedCriterion()
    {
        await CreateOtherProvinceAdminAsync();
        await SignIn.AsAsync(_page, _app, "quantri.hungyen", "/quan-tri/soan-bo-chi-so");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Soạn bộ chỉ số");
        await Expect(_page.GetByTestId("studio-help")).ToContainTextAsync("Bản nháp được lưu tự động");

        // Start from a copy of last year's set.
        await PickAsync("copy-source", "hung-yen-commune-2024 v1");
        await _page.GetByTestId("copy-button").ClickAsync();
        await Expect(_page.GetByTestId("tree")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("error-count")).ToHaveTextAsync("Không có lỗi: có thể công bố");

        // 6.3: max 40 → 50 and target 80% → 70%. The parent (6) no longer adds up: the error shows at once, at the node.
        await _page.Locator("[data-testid='tree-node'][data-code='6.3']").ClickAsync();
        await Expect(_page.GetByTestId("rule-description")).ToContainTextAsync("80%");
        await Input("field-max").FillAsync("50");
        await Input("field-target").FillAsync("70%");
        await Expect(_page.GetByTestId("rule-description")).ToContainTextAsync("70%");
        await Expect(_page.GetByTestId("error-count")).ToHaveTextAsync("1 lỗi");
        await Expect(_page.GetByTestId("all-errors")).ToContainTextAsync("Tổng điểm tối đa của các chỉ số con (210) khác điểm tối đa của '6' (200)");
        await Expect(_page.Locator("[data-testid='tree-node'][data-code='6'] [data-testid='node-error-badge']")).ToBeVisibleAsync();

        // Fix it: the index is worth 210 and the set 1010.
        await _page.Locator("[data-testid='tree-node'][data-code='6']").ClickAsync();
        await Expect(_page.GetByTestId("node-errors")).ToContainTextAsync("(210) khác điểm tối đa của '6' (200)");
        await Input("field-max").FillAsync("210");
        await Expect(_page.GetByTestId("all-errors")).ToContainTextAsync("Tổng điểm tối đa của các chỉ số chính (1.010) khác maxPoints (1.000)");
        await _page.GetByRole(AriaRole.Tab, new() { Name = "Thông tin bộ và quyết định" }).ClickAsync();
        await Input("field-maxPoints").FillAsync("1010");
        await Input("field-set-name").FillAsync("Bộ chỉ số chuyển đổi số cấp xã tỉnh Hưng Yên năm 2025");
        await Input("field-decision-number").FillAsync("99/QĐ-UBND");
        await Expect(_page.GetByTestId("error-count")).ToHaveTextAsync("Không có lỗi: có thể công bố");
        var setId = await Input("field-id").InputValueAsync();
        Assert.Equal("hung-yen-commune-2024-ban-sao", setId);
        await Expect(_page.GetByTestId("save-status")).ToContainTextAsync("Đã lưu");

        // Try 6.3 on typed figures: (30 + 26) / 100 = 56% of the 70% target → 56/70 × 50 = 40 points.
        await _page.GetByRole(AriaRole.Tab, new() { Name = "Chấm thử" }).ClickAsync();
        await PickAsync("trial-criterion", "6.3 Tỷ lệ hồ sơ xử lý trực tuyến");
        await Input("trial-input", "6.3.a").FillAsync("100");
        await Input("trial-input", "6.3.b").FillAsync("30");
        await Input("trial-input", "6.3.c").FillAsync("26");
        await _page.GetByTestId("trial-run").ClickAsync();
        await Expect(_page.GetByTestId("trial-points")).ToHaveTextAsync("40");
        await Expect(_page.GetByTestId("trial-explanation")).ToContainTextAsync("70%");

        // Score the draft on the demo round's real figures.
        await PickAsync("trial-round", "Đánh giá chuyển đổi số cấp xã năm 2024");
        await _page.GetByTestId("trial-round-run").ClickAsync();
        await Expect(_page.GetByTestId("trial-round-message")).ToContainTextAsync("Đã chấm thử");
        await Expect(_page.GetByTestId("trial-units")).ToContainTextAsync("Lạc Đạo");

        // Publish: the diff names 6.3, then the immutable version.
        await _page.GetByRole(AriaRole.Tab, new() { Name = "Công bố" }).ClickAsync();
        await Expect(_page.GetByTestId("diff-list")).ToContainTextAsync("6.3");
        await _page.GetByTestId("publish-button").ClickAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Công bố", Exact = true }).ClickAsync();
        await Expect(_page.GetByTestId("publish-message")).ToContainTextAsync($"Đã nạp bộ chỉ số {setId} phiên bản 1");

        // Open a 2025 round with it (through the use case: the rounds page is being moved to MudBlazor).
        var assessmentId = await OpenRoundAsync(setId);

        // The commune officer of the 2025 commune sees 6.3 as changed.
        var officer = await _context.Browser!.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var officerPage = await officer.NewPageAsync();
        await SignIn.AsAsync(officerPage, _app, "xa.lacdao2025", $"/danh-gia/{assessmentId}");
        await Expect(officerPage.GetByTestId("section-points-6")).ToContainTextAsync("/ 210 điểm");
        await officerPage.GetByTestId("toggle-6").ClickAsync();
        await Expect(officerPage.GetByTestId("points-6.3")).ToContainTextAsync("/ 50 điểm");
        await Expect(officerPage.GetByTestId("method-6.3")).ToContainTextAsync("70%");
        await officer.CloseAsync();

        // Another province's admin never sees the draft or the set.
        var other = await _context.Browser!.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var otherPage = await other.NewPageAsync();
        await SignIn.AsAsync(otherPage, _app, "quantri.bacgiang", "/bo-chi-so");
        await Expect(otherPage.Locator("h1")).ToHaveTextAsync("Bộ chỉ số");
        await Expect(otherPage.GetByTestId("set-hung-yen-commune-2024")).ToBeVisibleAsync();
        await Expect(otherPage.GetByTestId($"set-{setId}")).ToHaveCountAsync(0);
        await otherPage.GotoAsync($"{_app.BaseUrl}/quan-tri/soan-bo-chi-so");
        await Browser.WaitForCircuitAsync(otherPage);
        await Expect(otherPage.GetByTestId("no-drafts")).ToBeVisibleAsync();
        await other.CloseAsync();
    }

    [Fact]
    public async Task Draft_WhenTheOtherProvincesAdminOpensIt_IsNotFound_AndDeletingAsksFirst()
    {
        await CreateOtherProvinceAdminAsync();
        await SignIn.AsAsync(_page, _app, "quantri.hungyen", "/quan-tri/soan-bo-chi-so");
        await PickAsync("copy-source", "hung-yen-commune-2024 v1");
        await _page.GetByTestId("copy-button").ClickAsync();
        await Expect(_page.GetByTestId("tree")).ToBeVisibleAsync();
        var draftUrl = _page.Url;

        var other = await _context.Browser!.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var otherPage = await other.NewPageAsync();
        await SignIn.AsAsync(otherPage, _app, "quantri.bacgiang", new Uri(draftUrl).AbsolutePath);
        await Expect(otherPage.GetByTestId("editor-error")).ToContainTextAsync("Không tìm thấy bản nháp này");
        await other.CloseAsync();

        await _page.GotoAsync($"{_app.BaseUrl}/quan-tri/soan-bo-chi-so");
        await Browser.WaitForCircuitAsync(_page);
        await Expect(_page.GetByTestId("draft-row")).ToHaveCountAsync(1);
        await _page.GetByTestId("delete-draft").ClickAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Không xóa", Exact = true }).ClickAsync();
        await Expect(_page.GetByTestId("draft-row")).ToHaveCountAsync(1);
        await _page.GetByTestId("delete-draft").ClickAsync();
        await _page.GetByRole(AriaRole.Button, new() { Name = "Xóa bản nháp", Exact = true }).ClickAsync();
        await Expect(_page.GetByTestId("studio-message")).ToContainTextAsync("Đã xóa bản nháp");
        await Expect(_page.GetByTestId("no-drafts")).ToBeVisibleAsync();
    }

    /// <summary>A MudTextField's input by the field's test id (MudBlazor puts the attribute on the input or on its wrapper).</summary>
    private ILocator Input(string testId, string? address = null)
    {
        var match = $"[data-testid='{testId}']" + (address is null ? "" : $"[data-address='{address}']");
        return _page.Locator($"input{match}, {match} input").First;
    }

    /// <summary>Opens a MudSelect (by its test id) and picks the option whose text contains <paramref name="text"/>.</summary>
    private async Task PickAsync(string testId, string text)
    {
        await _page.GetByTestId(testId).ClickAsync();
        await _page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = text }).First.ClickAsync();
    }

    /// <summary>A provincial admin of Bắc Giang (not a demo account), signed in like the demo admins (same password and authenticator key).</summary>
    private async Task CreateOtherProvinceAdminAsync()
    {
        await using var owner = Database.CreateOwnerContext(_app.Services);
        var unitId = await owner.Units.Where(u => u.Code == "24").Select(u => u.Id).SingleAsync();
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByNameAsync("quantri.bacgiang") is not null) return;
        var user = new AppUser { UserName = "quantri.bacgiang", FullName = "Trần Văn Bắc", UnitId = unitId, CreatedAt = DateTimeOffset.UtcNow, LockoutEnabled = true };
        Assert.True((await users.CreateAsync(user, DemoUsers.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.ProvincialAdmin)).Succeeded);
        var store = (IUserAuthenticatorKeyStore<AppUser>)scope.ServiceProvider.GetRequiredService<IUserStore<AppUser>>();
        await store.SetAuthenticatorKeyAsync(user, DemoUsers.AuthenticatorKey, CancellationToken.None);
        Assert.True((await users.UpdateAsync(user)).Succeeded);
        Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
    }

    /// <summary>Opens a 2025 commune round of Hưng Yên on the published set as quantri.hungyen would; returns Lạc Đạo (2025)'s assessment.</summary>
    private async Task<int> OpenRoundAsync(string setId)
    {
        int province, commune, versionId;
        await using (var owner = Database.CreateOwnerContext(_app.Services))
        {
            province = await owner.Units.Where(u => u.Code == "33").Select(u => u.Id).SingleAsync();
            commune = await owner.Units.Where(u => u.Code == "33-LD2025").Select(u => u.Id).SingleAsync();
            versionId = await owner.CriteriaSetVersions.Where(v => v.SetId == setId && v.Version == 1).Select(v => v.Id).SingleAsync();
        }
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddDtiApplication(_app.ConnectionString);
        await using var sp = services.BuildServiceProvider();
        var hierarchy = sp.GetRequiredService<UnitHierarchy>();
        var admin = new FixedUnitScope("quantri.hungyen", "quantri.hungyen", false, hierarchy.Subtree(province),
            new HashSet<string> { Roles.ProvincialAdmin }, "127.0.0.1", HomeUnitId: province);
        services.AddScoped<IUnitScope>(_ => admin);
        await using var scoped = services.BuildServiceProvider();
        using var scope = scoped.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<RoundAdmin>().CreateAsync(new CreateRoundRequest(
            2025, "Đánh giá chuyển đổi số cấp xã năm 2025 (bộ mới)", versionId, province, "commune",
            new DateOnly(2025, 11, 30), new DateOnly(2025, 12, 10), new DateOnly(2025, 12, 20), HasDistrictTier: false));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        await using var check = Database.CreateOwnerContext(_app.Services);
        return await check.Assessments.Where(a => a.RoundId == result.RoundId && a.UnitId == commune).Select(a => a.Id).SingleAsync();
    }
}
