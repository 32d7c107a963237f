using System.IO.Compression;
using DtiPortal.E2E.Documents;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Reports;

/// <summary>
/// Issue 7 in the browser: the district reviewer of Văn Lâm opens /bao-cao, starts the reports of every unit, sees the progress,
/// downloads the archive when the background job has finished (one PDF per commune of the 2024 round plus the summary), and
/// downloads one commune's report from its entry page. The worker polls every second here (Reports:IntervalSeconds = 1).
/// </summary>
[Collection(BrowserCollection.Name)]
public class ReportsPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "dti-e2e-reports-" + Guid.NewGuid().ToString("N")[..8]);
    private AppServer _app = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(15_000);
        _app = await AppServer.StartAsync(new Dictionary<string, string>
        {
            ["Reports:IntervalSeconds"] = "1",
            ["Evidence:Directory"] = _store,
            ["Pdf:ChromiumPath"] = DocumentRendererFixture.ChromiumPath,
        });
        _context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN", AcceptDownloads = true });
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(_store)) Directory.Delete(_store, recursive: true);
    }

    [Fact]
    public async Task DistrictReviewer_StartsTheJob_SeesProgress_DownloadsTheArchive_AndAUnitReport()
    {
        var (expectedUnits, lacDao, round2024) = await ExpectedAsync();
        // The newest round (2025) is on the two-tier tree, without districts: open the page on the 2024 round.
        await SignIn.AsAsync(_page, _app, "thamtra.vanlam", $"/bao-cao?dot={round2024}");
        // MudSelects: the chosen id is on data-value, the chosen name is the input's value.
        await Expect(_page.GetByTestId("report-round")).ToHaveAttributeAsync("data-value", round2024.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(_page.GetByTestId("report-scope")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("Huyện Văn Lâm"));
        await Expect(_page.GetByTestId("no-jobs")).ToBeVisibleAsync();

        await _page.GetByTestId("start-job").ClickAsync();
        // Queued or running: the status and the progress bar show, then the page updates itself until the archive is ready.
        await Expect(_page.GetByTestId("job")).ToBeVisibleAsync();
        var statuses = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            var status = await _page.GetByTestId("job").GetAttributeAsync("data-status") ?? "";
            statuses.Add(status);
            if (status is "Completed" or "Failed") break;
            if (await _page.GetByTestId("job-progressbar").IsVisibleAsync()) statuses.Add("progressbar");
            await Task.Delay(200);
        }
        Assert.Contains("Completed", statuses);
        Assert.Contains("progressbar", statuses);
        await Expect(_page.GetByTestId("job-progress")).ToContainTextAsync($"đã xong {expectedUnits + 1}/{expectedUnits + 1} báo cáo");

        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByTestId("download-archive").ClickAsync());
        Assert.Equal("Bao-cao_Huyen-Van-Lam_2024.zip", download.SuggestedFilename);
        using (var zip = ZipFile.OpenRead(await download.PathAsync()))
        {
            Assert.Equal(expectedUnits + 1, zip.Entries.Count);
            Assert.Contains(zip.Entries, e => e.FullName == "Xa-Lac-Dao_2024.pdf");
            Assert.Contains(zip.Entries, e => e.FullName == "Tong-hop_Huyen-Van-Lam_2024.pdf");
        }

        // The summary link answers a PDF at once; the unit's own report from the link on its entry page.
        var summary = await _page.APIRequest.GetAsync(_app.BaseUrl + await _page.GetByTestId("download-summary").GetAttributeAsync("href"));
        Assert.Equal(200, summary.Status);
        Assert.Equal("application/pdf", summary.Headers["content-type"]);

        await _page.GotoAsync($"{_app.BaseUrl}/danh-gia/{lacDao}");
        await Browser.WaitForCircuitAsync(_page);
        var pdfDownload = await _page.RunAndWaitForDownloadAsync(() => _page.GetByTestId("download-report-pdf").ClickAsync());
        var pdf = await File.ReadAllBytesAsync(await pdfDownload.PathAsync());
        var file = Path.Combine(_store, "lac-dao.pdf");
        Directory.CreateDirectory(_store);
        await File.WriteAllBytesAsync(file, pdf);
        var text = PdfText.Squash(await PdfText.ExtractAsync(file, layout: false));
        Assert.Contains(PdfText.Squash("Kết quả đánh giá chuyển đổi số năm 2024 của xã Lạc Đạo"), text);
        Assert.Contains(PdfText.Squash("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), text);

        // Another district's archive is not this reviewer's: 404.
        Assert.Equal(404, (await _page.APIRequest.GetAsync($"{_app.BaseUrl}/api/bao-cao/luu-tru/{Guid.NewGuid()}")).Status);
    }

    /// <summary>How many assessments the 2024 round has under Văn Lâm, and Lạc Đạo's.</summary>
    private async Task<(int Units, int LacDao, int Round)> ExpectedAsync()
    {
        await using var conn = new NpgsqlConnection(_app.ConnectionString);
        await conn.OpenAsync();
        await using var count = new NpgsqlCommand("""
            select count(*)::int from assessments a join assessment_rounds r on r.id = a.round_id join units u on u.id = a.unit_id
            join units d on d.id = u.parent_id where d.code = '33-VL' and r.year = 2024
            """, conn);
        var units = (int)(await count.ExecuteScalarAsync())!;
        await using var id = new NpgsqlCommand("""
            select a.id from assessments a join assessment_rounds r on r.id = a.round_id join units u on u.id = a.unit_id
            where u.code = '33-VL-LDA' and r.year = 2024
            """, conn);
        await using var round = new NpgsqlCommand("select id from assessment_rounds where year = 2024", conn);
        return (units, (int)(await id.ExecuteScalarAsync())!, (int)(await round.ExecuteScalarAsync())!);
    }
}
