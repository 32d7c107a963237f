namespace DtiPortal.Web.Documents;

/// <summary>Configuration section <c>Pdf</c>: the headless Chromium that prints the review documents.</summary>
public sealed class PdfOptions
{
    public const string Section = "Pdf";

    /// <summary><c>Pdf:ChromiumPath</c>: Debian's Chromium (apt-get install chromium fonts-noto-core). Never `playwright install`.</summary>
    public string ChromiumPath { get; set; } = "/usr/bin/chromium";

    /// <summary><c>Pdf:MaxConcurrent</c>: pages printing at the same time (each costs a renderer process, ~50–100 MB).</summary>
    public int MaxConcurrent { get; set; } = 2;

    /// <summary><c>Pdf:TimeoutSeconds</c>: one document, including the wait for a free page and a browser (re)launch.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    internal int EffectiveMaxConcurrent => Math.Clamp(MaxConcurrent, 1, 16);
    internal TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds > 0 ? TimeoutSeconds : 60);
}
