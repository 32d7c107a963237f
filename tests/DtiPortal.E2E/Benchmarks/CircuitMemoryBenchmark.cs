using System.Globalization;
using System.Text.RegularExpressions;
using DtiPortal.E2E.Infrastructure;
using DtiPortal.E2E.Units;
using Microsoft.Playwright;

namespace DtiPortal.E2E.Benchmarks;

/// <summary>
/// Issue 13, item 6: live managed heap per open entry page. Run by scripts/bench-circuit-memory.sh, which starts the app in
/// its own process, and measures its heap with dotnet-gcdump (a full GC first) while this opens the pages: one page, then
/// <c>DTI_BENCH_CIRCUITS</c> more. The two steps are handshakes through files in <c>DTI_BENCH_DIR</c>, so the heap is read
/// while the circuits are open. Not part of the test run (Category=Benchmark).
/// </summary>
[Collection(BrowserCollection.Name)]
public class CircuitMemoryBenchmark(BrowserFixture browser)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task EntryPageCircuits_OpenWhileTheHeapIsMeasured()
    {
        var url = Environment.GetEnvironmentVariable("DTI_BENCH_URL") ?? throw new InvalidOperationException("DTI_BENCH_URL is not set: run scripts/bench-circuit-memory.sh");
        var dir = Environment.GetEnvironmentVariable("DTI_BENCH_DIR") ?? throw new InvalidOperationException("DTI_BENCH_DIR is not set");
        var circuits = int.Parse(Environment.GetEnvironmentVariable("DTI_BENCH_CIRCUITS") ?? "60", CultureInfo.InvariantCulture);
        var user = Environment.GetEnvironmentVariable("DTI_BENCH_USER") ?? "xa.lacdao";

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "vi-VN" });
        var first = await context.NewPageAsync();
        await SignIn.AsAsync(first, url, user, "/danh-gia");
        var link = first.Locator("a[href*='/danh-gia/']").First;
        await link.WaitForAsync();
        var id = int.Parse(Regex.Match(await link.GetAttributeAsync("href") ?? "", @"/danh-gia/(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var entryUrl = $"{url}/danh-gia/{id}";
        await OpenAsync(first, entryUrl);
        await HandshakeAsync(dir, "one-open", "one-measured");

        var pages = new List<IPage>();
        for (var i = 0; i < circuits; i++)
        {
            var page = await context.NewPageAsync();
            await OpenAsync(page, entryUrl);
            pages.Add(page);
        }
        await HandshakeAsync(dir, "all-open", "all-measured");
        foreach (var page in pages) await page.CloseAsync();
    }

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await Browser.WaitForCircuitAsync(page);
        await page.GetByTestId("save-indicator").WaitForAsync();
    }

    private static async Task HandshakeAsync(string dir, string signal, string answer)
    {
        await File.WriteAllTextAsync(Path.Combine(dir, signal), "");
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!File.Exists(Path.Combine(dir, answer)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No '{answer}' from the measuring script.");
            await Task.Delay(200);
        }
    }
}
