using System.Text.Encodings.Web;
using System.Text.Unicode;
using DtiPortal.Application.Reviews;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace DtiPortal.Web.Documents;

/// <summary>
/// <see cref="IReviewDocumentRenderer"/>: the document's Razor component rendered to standalone HTML by the framework's
/// <see cref="HtmlRenderer"/>, then printed by <see cref="ChromiumPdf"/>.
/// </summary>
public sealed class ReviewDocumentRenderer(ChromiumPdf pdf, ILoggerFactory loggerFactory, ILogger<ReviewDocumentRenderer> logger)
    : IReviewDocumentRenderer
{
    /// <summary>
    /// The documents inject nothing, so they render against a private provider rather than the app's (whose scoped
    /// services cannot be resolved from a singleton). Its only service is an encoder that still escapes markup
    /// (&lt; &gt; &amp; quotes) but leaves Vietnamese letters readable in the HTML.
    /// </summary>
    private static readonly IServiceProvider _documentServices = new DocumentServices(HtmlEncoder.Create(UnicodeRanges.All));

    public async Task<byte[]> RenderPdfAsync(ReviewDocumentKind kind, RecognitionDocumentModel model, CancellationToken ct = default)
    {
        var html = await RenderHtmlAsync(kind, model, ct);
        return await pdf.PrintAsync(html, ct);
    }

    public async Task<string> RenderHtmlAsync(ReviewDocumentKind kind, RecognitionDocumentModel model, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var component = kind switch
        {
            ReviewDocumentKind.AppraisalMinutes => typeof(AppraisalMinutes),
            ReviewDocumentKind.RecognitionDecision => typeof(RecognitionDecision),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown review document."),
        };
        ct.ThrowIfCancellationRequested();
        try
        {
            await using var renderer = new HtmlRenderer(_documentServices, loggerFactory);
            return await renderer.Dispatcher.InvokeAsync(async () =>
            {
                var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(AppraisalMinutes.Model)] = model });
                var output = await renderer.RenderComponentAsync(component, parameters);
                return output.ToHtmlString();
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Rendering {Kind} of assessment {AssessmentId} failed", kind, model.AssessmentId);
            throw new ReviewDocumentException("Không dựng được nội dung văn bản để in. Vui lòng báo quản trị viên.", ex);
        }
    }

    private sealed class DocumentServices(HtmlEncoder encoder) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(HtmlEncoder) ? encoder : null;
    }
}
