using System.Text;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DtiPortal.E2E.Admin;

/// <summary>Issue 2's admin page for the unit import: a bad file is listed row by row and nothing is imported; a good one is.</summary>
[Collection(BrowserCollection.Name)]
public class ImportUnitsPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private AppServer _app = default!;

    public async Task InitializeAsync() => _app = await AppServer.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task ProvincialAdmin_ImportsUnits_BadFileFirst()
    {
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _app, "quantri.hungyen", "/quan-tri/don-vi/nhap-tep");
        const string header = "Mã,Tên,Loại,Mã đơn vị cấp trên\n";

        await page.GetByTestId("unit-file").SetInputFilesAsync(new FilePayload
        {
            Name = "don-vi.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(header + "33-VL-A1,Xã Một,Xã,33-VL\n33-VL-A2,,Xã,33-VL\n"),
        });
        var errors = page.GetByTestId("import-errors");
        await Expect(errors).ToContainTextAsync("Không có đơn vị nào được nhập");
        await Expect(errors.Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(errors).ToContainTextAsync("Tên đơn vị '33-VL-A2' đang để trống.");

        await page.GetByTestId("unit-file").SetInputFilesAsync(new FilePayload
        {
            Name = "don-vi.csv", MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(header + "33-VL-A1,Xã Một,Xã,33-VL\n33-VL-A2,Xã Hai,Xã,33-VL\n"),
        });
        await Expect(page.GetByTestId("import-done")).ToContainTextAsync("Đã nhập 2 đơn vị");

        await page.GotoAsync(_app.BaseUrl + "/don-vi");
        await Browser.WaitForCircuitAsync(page);
        await page.GetByTestId("unit-search").FillAsync("xa hai");
        await Expect(page.GetByTestId("search-hits")).ToContainTextAsync("Hưng Yên › Văn Lâm");
        await context.CloseAsync();
    }
}
