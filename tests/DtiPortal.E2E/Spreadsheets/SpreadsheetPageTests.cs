using System.Globalization;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Spreadsheets;

/// <summary>
/// Issue 7 in the browser: a commune officer downloads the entry template from the spreadsheet page, fills one value
/// offline, uploads it, is told how many values were filled, and finds the value on the entry page.
/// </summary>
[Collection(BrowserCollection.Name)]
public class SpreadsheetPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _app = await AppServer.StartAsync();
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN", AcceptDownloads = true });
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task CommuneOfficer_DownloadsTheTemplate_FillsOneValue_UploadsIt_AndSeesItOnTheEntryPage()
    {
        await SignIn.AsAsync(_page, _app, "xa.lacdao", "/danh-gia");
        var link = _page.Locator("[data-testid^='open-']").First;
        await Expect(link).ToBeVisibleAsync();
        var id = int.Parse(Regex.Match(await link.GetAttributeAsync("href") ?? "", @"/danh-gia/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

        await _page.GotoAsync($"{_app.BaseUrl}/danh-gia/{id}/bang-tinh");
        await Browser.WaitForCircuitAsync(_page);
        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByTestId("download-template").ClickAsync());
        Assert.EndsWith(".xlsx", download.SuggestedFilename);
        var template = await File.ReadAllBytesAsync(await download.PathAsync());

        // A population larger than any part of it, so no "part above whole" refusal whatever the demo figures hold.
        var filled = SetValue(template, "general:1.4", 987654);
        await _page.GetByTestId("template-file").SetInputFilesAsync(new FilePayload
        {
            Name = "mau-nhap-so-lieu.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = filled,
        });
        await Expect(_page.GetByTestId("import-done")).ToContainTextAsync("Đã nhập 1 giá trị");

        await _page.GetByTestId("back-to-entry").ClickAsync();
        await Browser.WaitForCircuitAsync(_page);
        await DemoEntry.OpenSectionAsync(_page, "general");
        await Expect(_page.GetByTestId("input-general:1.4")).ToHaveValueAsync("987654");

        // The other downloads answer with a workbook under the same cookie; something outside the scope answers 404.
        await using var conn = new NpgsqlConnection(_app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select round_id from assessments where id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        var roundId = (int)(await cmd.ExecuteScalarAsync())!;
        foreach (var path in new[] { $"/api/bang-tinh/danh-gia/{id}", $"/api/bang-tinh/xep-hang/{roundId}" })
        {
            var response = await _page.APIRequest.GetAsync(_app.BaseUrl + path);
            Assert.Equal(200, response.Status);
            Assert.StartsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Headers["content-type"]);
            Assert.Contains("attachment", response.Headers["content-disposition"]);
        }
        Assert.Equal(404, (await _page.APIRequest.GetAsync($"{_app.BaseUrl}/api/bang-tinh/danh-gia/{int.MaxValue}")).Status);
    }

    /// <summary>Sets column E of the row whose column A holds <paramref name="address"/>, as a number (what Excel saves).</summary>
    private static byte[] SetValue(byte[] workbook, string address, decimal value)
    {
        using var ms = new MemoryStream();
        ms.Write(workbook);
        using (var doc = SpreadsheetDocument.Open(ms, true))
        {
            var wb = doc.WorkbookPart!;
            var sheet = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "Nhập số liệu");
            var ws = ((WorksheetPart)wb.GetPartById(sheet.Id!)).Worksheet;
            var row = ws.Descendants<Row>().Single(r => r.Elements<Cell>().Any(c => c.CellReference == "A" + r.RowIndex && c.InnerText == address));
            var cell = row.Elements<Cell>().Single(c => c.CellReference == "E" + row.RowIndex);
            cell.RemoveAllChildren();
            cell.DataType = null;
            cell.CellValue = new CellValue(value.ToString(CultureInfo.InvariantCulture));
            ws.Save();
        }
        return ms.ToArray();
    }
}
