using System.Text.Encodings.Web;
using System.Text.Unicode;
using DtiPortal.Application.Reporting.Reports;
using DtiPortal.Application.Reviews;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace DtiPortal.Web.Documents.Reports;

/// <summary>
/// <see cref="IReportRenderer"/>: <see cref="UnitReport"/> and <see cref="SummaryReport"/> rendered to standalone HTML by the
/// framework's <see cref="HtmlRenderer"/>, then printed by the app's one shared <see cref="ChromiumPdf"/> (no second browser).
/// </summary>
public sealed class ReportRenderer(ChromiumPdf pdf, ILoggerFactory loggerFactory, ILogger<ReportRenderer> logger) : IReportRenderer
{
    /// <summary>The templates inject nothing: a private provider whose only service keeps Vietnamese letters readable in the HTML.</summary>
    private static readonly IServiceProvider _documentServices = new DocumentServices(HtmlEncoder.Create(UnicodeRanges.All));

    public async Task<byte[]> UnitReportPdfAsync(UnitReportModel model, CancellationToken ct = default) =>
        await pdf.PrintAsync(await RenderHtmlAsync<UnitReport>(nameof(UnitReport.Model), model, ct), ct);

    public async Task<byte[]> SummaryReportPdfAsync(SummaryReportModel model, CancellationToken ct = default) =>
        await pdf.PrintAsync(await RenderHtmlAsync<SummaryReport>(nameof(SummaryReport.Model), model, ct), ct);

    public async Task<string> RenderHtmlAsync<TComponent>(string parameter, object model, CancellationToken ct = default) where TComponent : IComponent
    {
        ArgumentNullException.ThrowIfNull(model);
        ct.ThrowIfCancellationRequested();
        try
        {
            await using var renderer = new HtmlRenderer(_documentServices, loggerFactory);
            return await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(new Dictionary<string, object?> { [parameter] = model }));
                return output.ToHtmlString();
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Rendering the report {Component} failed", typeof(TComponent).Name);
            throw new ReviewDocumentException("Không dựng được nội dung báo cáo để in. Vui lòng báo quản trị viên.", ex);
        }
    }

    private sealed class DocumentServices(HtmlEncoder encoder) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(HtmlEncoder) ? encoder : null;
    }
}
