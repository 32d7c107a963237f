using System.Diagnostics;
using DtiPortal.Application.Reviews;
using DtiPortal.Web.Documents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DtiPortal.E2E.Documents;

/// <summary>
/// One renderer (and so one Chromium) for all tests of a class, registered exactly as the app registers it. Chromium is
/// /usr/bin/chromium, or DTI_CHROMIUM as for the browser tests.
/// </summary>
public sealed class DocumentRendererFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

    public IReviewDocumentRenderer Renderer => _services!.GetRequiredService<IReviewDocumentRenderer>();
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "dti-documents-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>How long the first PDF took (with the browser launch) and the second (warm), for the record.</summary>
    public TimeSpan ColdPdf { get; private set; }
    public TimeSpan WarmPdf { get; private set; }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("DTI_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static ServiceProvider BuildServices(string chromiumPath, int timeoutSeconds = 60)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pdf:ChromiumPath"] = chromiumPath,
            ["Pdf:MaxConcurrent"] = "2",
            ["Pdf:TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddReviewDocuments(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        _services = BuildServices(ChromiumPath);
        var model = DocumentSamples.LacDao();
        var watch = Stopwatch.StartNew();
        await Renderer.RenderPdfAsync(ReviewDocumentKind.AppraisalMinutes, model);
        ColdPdf = watch.Elapsed;
        watch.Restart();
        await Renderer.RenderPdfAsync(ReviewDocumentKind.AppraisalMinutes, model);
        WarmPdf = watch.Elapsed;
    }

    /// <summary>Prints raw HTML through the shared <see cref="ChromiumPdf"/> (for what a model can never produce).</summary>
    public Task<byte[]> PdfAsync(string html) => _services!.GetRequiredService<ChromiumPdf>().PrintAsync(html);

    /// <summary>Writes the PDF next to the others (kept when DTI_KEEP_PDF is set, for a look) and returns its text.</summary>
    public async Task<PdfText> PdfTextAsync(byte[] pdf, string name)
    {
        var file = Path.Combine(Directory, name + ".pdf");
        await File.WriteAllBytesAsync(file, pdf);
        return new PdfText(await PdfText.ExtractAsync(file, layout: true), await PdfText.ExtractAsync(file, layout: false));
    }

    public async Task DisposeAsync()
    {
        if (_services is not null) await _services.DisposeAsync(); // disposes ChromiumPdf, which closes the browser
        if (Environment.GetEnvironmentVariable("DTI_KEEP_PDF") is not { Length: > 0 } && System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>
/// The text a reader would copy out of the PDF, by pdftotext (poppler-utils, installed by .ci/run), twice:
/// <paramref name="Layout"/> (-layout) keeps columns side by side, so a header line reads as printed, but interleaves
/// the lines of cells that wrap; <paramref name="Reading"/> (reading order) keeps a wrapped cell's text together.
/// </summary>
public sealed record PdfText(string Layout, string Reading)
{
    /// <summary>Whether the phrase is in either extraction, whitespace aside (wrapping and justification change it).</summary>
    public bool Contains(string phrase) =>
        Squash(Layout).Contains(Squash(phrase), StringComparison.Ordinal) || Squash(Reading).Contains(Squash(phrase), StringComparison.Ordinal);

    public static async Task<string> ExtractAsync(string file, bool layout)
    {
        var start = new ProcessStartInfo("pdftotext", layout ? ["-layout", "-enc", "UTF-8", file, "-"] : ["-enc", "UTF-8", file, "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("pdftotext not found: apt-get install -y poppler-utils", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException($"pdftotext failed ({process.ExitCode}): {await error}");
            return (await output).Normalize(System.Text.NormalizationForm.FormC);
        }
    }

    /// <summary>Whitespace removed, so that a phrase matches however the layout wrapped or spaced it.</summary>
    public static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

}
