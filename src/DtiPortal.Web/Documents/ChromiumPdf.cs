using System.Diagnostics;
using DtiPortal.Application.Reviews;
using Microsoft.Playwright;

namespace DtiPortal.Web.Documents;

/// <summary>
/// Prints standalone HTML to PDF in Debian's headless Chromium through Playwright (ADR-003: QuestPDF is not on the feed).
/// One browser, launched on first use and kept for the app's lifetime (a launch costs ~0.7 s), relaunched when it has
/// died; at most <see cref="PdfOptions.MaxConcurrent"/> pages print at once. A page can fetch nothing: JavaScript is off,
/// the context is offline and every request that is not data:/about: is aborted. Registered as a singleton; the
/// container disposes it (and the browser) on shutdown.
/// </summary>
public sealed class ChromiumPdf : IAsyncDisposable
{
    private static readonly string[] _args =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
         "--disable-dev-shm-usage",
         // Request interception alone still lets Chromium preconnect (open a socket) to hosts a page names, even IP
         // literals; resolving nothing stops that too (tests/…/Documents: FetchesNothing).
         "--host-resolver-rules=MAP * ~NOTFOUND"];

    /// <summary>Chromium fills the pageNumber/totalPages spans itself; the template needs its own font and size (it inherits none).</summary>
    private const string FooterTemplate =
        "<div style=\"width:100%;text-align:center;font-family:'Noto Sans','Noto Serif',sans-serif;font-size:9pt;color:#333;\">" +
        "Trang <span class=\"pageNumber\"></span>/<span class=\"totalPages\"></span></div>";

    private readonly PdfOptions _options;
    private readonly ILogger<ChromiumPdf> _logger;
    private readonly SemaphoreSlim _pages;
    private readonly SemaphoreSlim _launch = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private bool _disposed;

    public ChromiumPdf(PdfOptions options, ILogger<ChromiumPdf> logger)
    {
        _options = options;
        _logger = logger;
        _pages = new SemaphoreSlim(options.EffectiveMaxConcurrent, options.EffectiveMaxConcurrent);
    }

    /// <summary>The PDF bytes of <paramref name="html"/> on A4 with a "Trang x/y" footer. Throws <see cref="ReviewDocumentException"/>.</summary>
    public async Task<byte[]> PrintAsync(string html, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _pages.WaitAsync(timeout.Token);
            try
            {
                var browser = await GetBrowserAsync(timeout.Token);
                try
                {
                    return await PrintOnNewPageAsync(browser, html, timeout.Token);
                }
                catch (PlaywrightException ex) when (!browser.IsConnected)
                {
                    // The browser died under this document (crash, OOM killer): once more on a fresh one.
                    _logger.LogWarning(ex, "Chromium died while printing; retrying on a relaunched browser");
                    return await PrintOnNewPageAsync(await GetBrowserAsync(timeout.Token), html, timeout.Token);
                }
            }
            finally
            {
                _pages.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            _logger.LogWarning("PDF printing timed out after {Seconds} s", _options.Timeout.TotalSeconds);
            throw new ReviewDocumentException(
                $"Tạo tệp PDF quá thời gian cho phép ({_options.Timeout.TotalSeconds:0} giây, cấu hình Pdf:TimeoutSeconds). Vui lòng thử lại sau.", ex);
        }
        catch (ReviewDocumentException)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "PDF printing failed");
            throw new ReviewDocumentException("Không tạo được tệp PDF: trình duyệt Chromium dùng để in văn bản gặp lỗi. Vui lòng thử lại sau.", ex);
        }
        finally
        {
            _logger.LogDebug("PDF printing ended after {Ms} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static async Task<byte[]> PrintOnNewPageAsync(IBrowser browser, string html, CancellationToken ct)
    {
        // A context per document: nothing (cookies, cache) is shared between documents.
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, Offline = true, Locale = "vi-VN" })
            .WaitAsync(ct);
        try
        {
            var page = await context.NewPageAsync().WaitAsync(ct);
            await page.RouteAsync("**/*", route =>
                route.Request.Url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || route.Request.Url.StartsWith("about:", StringComparison.OrdinalIgnoreCase)
                    ? route.ContinueAsync()
                    : route.AbortAsync("blockedbyclient")).WaitAsync(ct);
            await page.SetContentAsync(html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load }).WaitAsync(ct);
            return await page.PdfAsync(new PagePdfOptions
            {
                Format = "A4",
                PrintBackground = true,
                DisplayHeaderFooter = true,
                HeaderTemplate = "<span></span>", // without it Chromium prints its own header (date and title)
                FooterTemplate = FooterTemplate,
                // 2 cm, and 1.5 cm on the right: Decree 30/2020/NĐ-CP asks 3 cm on the left for binding, but the minutes' table
                // of up to nine columns needs the width. The footer sits in the bottom margin.
                Margin = new Margin { Top = "2cm", Bottom = "2cm", Left = "2cm", Right = "1.5cm" },
            }).WaitAsync(ct);
        }
        finally
        {
            // Closing the context also ends a print that timed out.
            try { await context.CloseAsync(); }
            catch (PlaywrightException) { /* the browser died under it; the next document relaunches it */ }
        }
    }

    private async Task<IBrowser> GetBrowserAsync(CancellationToken ct)
    {
        if (_browser is { IsConnected: true } running) return running;
        await _launch.WaitAsync(ct);
        try
        {
            if (_browser is { IsConnected: true } launched) return launched;
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_browser is not null)
            {
                _logger.LogWarning("Chromium for PDF printing was disconnected; relaunching it");
                await CloseBrowserAsync();
            }
            var path = _options.ChromiumPath;
            if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
                throw new ReviewDocumentException($"Không tìm thấy Chromium để tạo tệp PDF (cấu hình Pdf:ChromiumPath = {path}).");
            try
            {
                // Not cancelled by the caller's token: a launch abandoned halfway would leave an orphan browser. It has its own timeout.
                _playwright ??= await Playwright.CreateAsync();
                var started = Stopwatch.GetTimestamp();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = path,
                    Headless = true,
                    Args = _args,
                    Timeout = (float)_options.Timeout.TotalMilliseconds,
                });
                _logger.LogInformation("Chromium {Version} launched for PDF printing in {Ms} ms", _browser.Version,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return _browser;
            }
            catch (Exception ex)
            {
                // The driver (node) may be what failed: start from scratch next time.
                await CloseBrowserAsync();
                _playwright?.Dispose();
                _playwright = null;
                throw new ReviewDocumentException($"Không khởi động được Chromium để tạo tệp PDF (cấu hình Pdf:ChromiumPath = {path}).", ex);
            }
        }
        finally
        {
            _launch.Release();
        }
    }

    private async Task CloseBrowserAsync()
    {
        if (_browser is null) return;
        try { await _browser.DisposeAsync(); }
        catch (Exception ex) when (ex is PlaywrightException or InvalidOperationException or ObjectDisposedException)
        {
            _logger.LogDebug(ex, "Closing a dead Chromium");
        }
        _browser = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _launch.WaitAsync();
        try
        {
            await CloseBrowserAsync();
            _playwright?.Dispose();
            _playwright = null;
        }
        finally
        {
            _launch.Release();
        }
    }
}
