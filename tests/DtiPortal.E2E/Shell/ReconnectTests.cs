using System.Globalization;
using System.Text.RegularExpressions;
using DtiPortal.Application.Assessments;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using DtiPortal.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Shell;

/// <summary>
/// Losing the connection (.NET 10 blazor.web.js, wwwroot/js/reconnect.js): the Vietnamese dialog appears, and what an
/// officer typed while the connection was gone is saved once it is back — even when the server dropped the circuit
/// meanwhile (retention shortened to 3 seconds here).
/// </summary>
[Collection(BrowserCollection.Name)]
public class ReconnectTests(BrowserFixture browser)
{
    [Fact]
    public async Task ReconnectDialog_WhenServerStopsUnderOpenPage_AppearsInVietnamese()
    {
        await using var app = await AppServer.StartAsync();
        var page = await browser.Browser.NewPageAsync();
        await SignIn.AsAsync(page, app, "xa.lacdao", "/don-vi");
        var dialog = page.Locator("#components-reconnect-modal");
        await Expect(dialog).ToBeHiddenAsync();

        await app.StopAsync();

        await Expect(dialog).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(dialog).ToContainTextAsync("Mất kết nối với máy chủ");
        Assert.True(await dialog.EvaluateAsync<bool>("d => d.open"));
        await page.CloseAsync();
    }

    [Fact]
    public async Task EntryPage_TypedWhileOfflineLongerThanTheCircuitIsKept_IsSavedOnceWhenBackOnline()
    {
        await using var app = await AppServer.StartAsync(new Dictionary<string, string> { ["Circuits:DisconnectedRetentionSeconds"] = "3" });
        await EnsureOpenRoundAsync(app);
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var page = await context.NewPageAsync();

        // The circuit's WebSocket goes through the test, so the test can cut it like a dropped mobile connection.
        var online = true;
        IWebSocketRoute? browserSide = null, serverSide = null;
        await page.RouteWebSocketAsync(url => url.Contains("/_blazor", StringComparison.Ordinal), ws =>
        {
            if (!online) { _ = ws.CloseAsync(); return; }
            browserSide = ws;
            serverSide = ws.ConnectToServer();
        });

        await SignIn.AsAsync(page, app, "xa.lacdao", "/danh-gia");
        var link = page.Locator("[data-testid^='open-']").First;
        await Expect(link).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var id = int.Parse(Regex.Match(await link.GetAttributeAsync("href") ?? "", @"/danh-gia/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        await page.GotoAsync($"{app.BaseUrl}/danh-gia/{id}");
        await Browser.WaitForCircuitAsync(page);
        await DemoEntry.OpenSectionAsync(page, "general");
        var input = page.GetByTestId("input-general:1.4");
        await Expect(input).ToBeEditableAsync(new() { Timeout = 15_000 });
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        // The demo data may hold a value already: remember it, its version and its audit entries.
        var before = await StoredAsync(conn, id);
        Assert.NotEqual("12345", before);
        var versionBefore = await ScalarAsync<int>(conn, VersionSql, id);
        var auditBefore = await ScalarAsync<long>(conn, AuditSql, id);

        // The connection drops: offline, and the open socket cut on both sides.
        online = false;
        await context.SetOfflineAsync(true);
        await browserSide!.CloseAsync();
        await serverSide!.CloseAsync();
        var dialog = page.Locator("#components-reconnect-modal");
        await Expect(dialog).ToBeVisibleAsync(new() { Timeout = 20_000 });

        // What the officer typed as the connection went (the keystrokes never reached the server). The dialog makes the
        // page inert, so the keystrokes are played as the browser's own input events.
        await input.EvaluateAsync("el => { el.value = '12345'; el.dispatchEvent(new Event('input', { bubbles: true })); }");
        Assert.Contains("12345", await page.EvaluateAsync<string>($"() => localStorage.getItem('dti-draft:{id}:general:1.4') ?? ''"));

        // Longer than the server keeps a disconnected circuit: it is dropped (its state persisted), nothing was saved.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(before, await StoredAsync(conn, id));

        online = true;
        await context.SetOfflineAsync(false);
        var retry = page.Locator("#components-reconnect-button");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        string? stored = null;
        while (DateTime.UtcNow < deadline && (stored = await StoredAsync(conn, id)) == before)
        {
            if (await retry.IsVisibleAsync()) await retry.ClickAsync(new() { Timeout = 2_000 }).ContinueWith(_ => { });
            await Task.Delay(500);
        }

        Assert.True(stored == "12345", $"stored {stored}; page: " + await page.EvaluateAsync<string>(
            "() => JSON.stringify({ url: location.href, state: document.getElementById('components-reconnect-modal')?.dataset.state, " +
            "cls: document.getElementById('components-reconnect-modal')?.className, open: document.getElementById('components-reconnect-modal')?.open, " +
            "up: !!window.__dtiCircuitUp, drafts: Object.keys(localStorage).filter(k => k.startsWith('dti-draft:')), " +
            "input: document.querySelector(\"[data-testid='input-general:1.4']\")?.value, " +
            "status: document.querySelector(\"[data-testid='status-general:1.4']\")?.textContent })"));
        // Saved once: one new version, one audit entry — also a little later (no second replay).
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(versionBefore + 1, await ScalarAsync<int>(conn, VersionSql, id));
        Assert.Equal(auditBefore + 1, await ScalarAsync<long>(conn, AuditSql, id));

        await page.ReloadAsync();
        await DemoEntry.OpenSectionAsync(page, "general"); // complete now: the page opens where work remains
        await Expect(page.GetByTestId("input-general:1.4")).ToHaveValueAsync("12345", new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("status-general:1.4")).Not.ToContainTextAsync("Lỗi");
        // Once saved, the browser forgets its copy (nothing to replay, nothing saved twice).
        string? left = "";
        for (var i = 0; i < 40 && (left = await page.EvaluateAsync<string?>($"() => localStorage.getItem('dti-draft:{id}:general:1.4')")) is not null; i++)
            await Task.Delay(250);
        Assert.Null(left);
    }

    /// <summary>An open commune round for xa.lacdao's unit (as EntryPageTests opens one).</summary>
    private static async Task EnsureOpenRoundAsync(AppServer app)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem();
        var rounds = scope.ServiceProvider.GetRequiredService<RoundAdmin>();
        if ((await rounds.ListAsync()).Any(r => r.Status == RoundStatus.Open && r.LevelCode == "commune")) return;
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        var province = await ScalarAsync<int>(conn, "select id from units where code = '33' and @id = @id", 0);
        var version = await ScalarAsync<int>(conn, "select id from criteria_set_versions where set_id = 'hung-yen-commune-2024' and @id = @id order by version desc limit 1", 0);
        var deadline = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        var result = await rounds.CreateAsync(new CreateRoundRequest(2024, "Đánh giá chuyển đổi số cấp xã năm 2024 (kiểm thử)", version, province, "commune",
            deadline, deadline.AddDays(5), deadline.AddDays(10), HasDistrictTier: true));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
    }

    private const string VersionSql =
        "select coalesce((select version from assessment_values where assessment_id = @id and address = 'general:1.4'), 0)";

    private const string AuditSql =
        "select count(*) from audit_log a join assessment_values v on a.entity_id = v.id::text " +
        "where a.entity_type = 'AssessmentValue' and v.assessment_id = @id and v.address = 'general:1.4'";

    private static async Task<string?> StoredAsync(NpgsqlConnection conn, int id)
    {
        await using var cmd = new NpgsqlCommand("select value::text from assessment_values where assessment_id = @id and address = 'general:1.4'", conn);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync() as string;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, int id)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("id", id);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
