using System.Net;
using DtiPortal.Application;
using DtiPortal.Application.Data;
using DtiPortal.Application.PublicResults;
using DtiPortal.Application.Tenancy;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Public;

/// <summary>
/// Issue 7: the public results pages, anonymous, on the real app. Data: `dti demo generate` for two provinces (the second
/// one's round is not published), then one published assessment of the first round put back to Approved and its commune
/// renamed, so the page must show its neighbours and never that name.
/// </summary>
[Collection(BrowserCollection.Name)]
public class PublicResultsPageTests : IAsyncLifetime
{
    private const string HiddenName = "Bí Mật Chưa Công Bố";
    private readonly BrowserFixture _browser;
    private AppServer _app = default!;
    private int _roundId;
    private int _hiddenId;
    private int _shownId;
    private string _shownName = "";

    public PublicResultsPageTests(BrowserFixture browser) => _browser = browser;

    public async Task InitializeAsync()
    {
        _app = await AppServer.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddScoped<IUnitScope>(_ => FixedUnitScope.System);
        services.AddDtiApplication(_app.ConnectionString);
        await using var sp = services.BuildServiceProvider();
        await ActivatorUtilities.CreateInstance<DemoGenerator>(sp).HandleAsync(new DemoGenerateRequest(40, Provinces: 2));

        await using var db = Database.CreateOwnerContext(sp);
        // The generated provinces' published round (the demo data's finished Hưng Yên round is published too).
        _roundId = await db.AssessmentRounds
            .Where(r => r.PublishedAt != null && db.Units.Any(u => u.Id == r.ProvinceUnitId && u.Code.StartsWith(DemoGenerator.CodePrefix)))
            .Select(r => r.Id).SingleAsync();
        var published = await (from a in db.Assessments
                               join u in db.Units on a.UnitId equals u.Id
                               where a.RoundId == _roundId && a.Status == AssessmentStatus.Published
                               orderby a.Id
                               select new { a.Id, a.UnitId, u.Kind, u.Name }).Take(2).ToListAsync();
        (_shownId, _shownName) = (published[0].Id, Domain.Units.UnitKinds.DisplayName(published[0].Kind) + " " + published[0].Name);
        _hiddenId = published[1].Id;
        await db.Database.ExecuteSqlAsync($"update assessments set status = 'Approved', published_at = null where id = {_hiddenId}");
        await db.Database.ExecuteSqlAsync($"update units set name = {HiddenName} where id = {published[1].UnitId}");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task AnonymousGet_ShowsPublishedUnits_NeverTheUnpublishedOne_WithoutSignIn()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

        var ranking = await client.GetAsync($"{_app.BaseUrl}/ket-qua/{_roundId}");
        Assert.Equal(HttpStatusCode.OK, ranking.StatusCode); // not a redirect to /dang-nhap
        var html = WebUtility.HtmlDecode(await ranking.Content.ReadAsStringAsync());
        Assert.Contains(_shownName, html);
        Assert.Contains($"/ket-qua/{_roundId}/{_shownId}", html);
        Assert.DoesNotContain(HiddenName, html);
        Assert.DoesNotContain($"/ket-qua/{_roundId}/{_hiddenId}\"", html);
        Assert.DoesNotContain("Đăng nhập</h1>", html);
        Assert.Contains("<caption>", html); // table semantics for screen readers
        Assert.Contains("scope=\"col\"", html);

        var hidden = await client.GetAsync($"{_app.BaseUrl}/ket-qua/{_roundId}/{_hiddenId}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        var hiddenHtml = WebUtility.HtmlDecode(await hidden.Content.ReadAsStringAsync());
        Assert.Contains("Không tìm thấy kết quả công bố", hiddenHtml);
        Assert.DoesNotContain(HiddenName, hiddenHtml);

        var detail = WebUtility.HtmlDecode(await client.GetStringAsync($"{_app.BaseUrl}/ket-qua/{_roundId}/{_shownId}"));
        Assert.Contains(_shownName, detail);
        Assert.Contains("Quyết định công nhận", detail);

        var landing = WebUtility.HtmlDecode(await client.GetStringAsync($"{_app.BaseUrl}/ket-qua"));
        Assert.Contains($"href=\"/ket-qua/{_roundId}\"", landing);
        Assert.Contains("Tỉnh Thử nghiệm 01", landing);
        Assert.DoesNotContain("Tỉnh Thử nghiệm 02", landing); // its round is approved, not published
    }

    [Fact]
    public async Task AnonymousPage_IsServedFromTheOutputCache_UntilAPublicationEvictsIt()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var url = $"{_app.BaseUrl}/ket-qua/{_roundId}";
        var first = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.False(first.Headers.Contains("Set-Cookie"), "a cached public page must not carry anyone's cookie");

        // Changed behind the application's back: the rendered page is kept, so visitors still see the old name.
        var renamed = "Đổi Tên Sau Công Bố";
        await using (var db = new Npgsql.NpgsqlConnection(_app.ConnectionString))
        {
            await db.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("update units set name = @n where id = (select unit_id from assessments where id = @a)", db);
            cmd.Parameters.AddWithValue("n", renamed);
            cmd.Parameters.AddWithValue("a", _shownId);
            await cmd.ExecuteNonQueryAsync();
        }
        var cached = await client.GetAsync(url);
        Assert.True(cached.Headers.Age is not null, "the second request is answered from the output cache (Age header)");
        Assert.DoesNotContain(renamed, WebUtility.HtmlDecode(await cached.Content.ReadAsStringAsync()));

        // A publication (PublishRound) invalidates through IPublicResultsCache: the next visitor sees the new data at once.
        _app.Services.GetRequiredService<IPublicResultsCache>().Invalidate(_roundId);
        var fresh = await client.GetAsync(url);
        Assert.Null(fresh.Headers.Age);
        Assert.Contains(renamed, WebUtility.HtmlDecode(await fresh.Content.ReadAsStringAsync()));

        // The sign-in page leads visitors to the public results without signing in.
        var login = WebUtility.HtmlDecode(await client.GetStringAsync($"{_app.BaseUrl}/dang-nhap"));
        Assert.Contains("href=\"/ket-qua\"", login);
    }

    [Fact]
    public async Task Browser_SearchWithoutAccents_ThenOpenTheUnit()
    {
        var page = await _browser.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "vi-VN" });
        try
        {
            await page.GotoAsync($"{_app.BaseUrl}/ket-qua/{_roundId}");
            await Expect(page.Locator("h1")).ToContainTextAsync("Đánh giá chuyển đổi số cấp xã năm 2024");
            var bare = Domain.VietnameseText.Fold(_shownName.Split(' ', 2)[1]); // "Xã Hòa Phú" → "hoa phu"
            await page.GetByLabel("Tên đơn vị").FillAsync(bare);
            await page.GetByRole(AriaRole.Button, new() { Name = "Lọc" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?tim="));
            var table = page.GetByTestId("ranking-table");
            await Expect(table.GetByRole(AriaRole.Rowheader, new() { Name = _shownName }).First).ToBeVisibleAsync();
            await table.GetByRole(AriaRole.Link, new() { Name = _shownName }).First.ClickAsync();
            await Expect(page.Locator("h1")).ToHaveTextAsync(_shownName);
            await Expect(page.GetByTestId("unit-facts")).ToContainTextAsync("Quyết định công nhận");
        }
        finally
        {
            await page.CloseAsync();
        }
    }
}
