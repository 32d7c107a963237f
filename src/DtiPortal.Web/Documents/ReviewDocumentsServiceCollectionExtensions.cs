using DtiPortal.Application.Reviews;

namespace DtiPortal.Web.Documents;

public static class ReviewDocumentsServiceCollectionExtensions
{
    /// <summary>
    /// The review documents (biên bản thẩm định, quyết định công nhận) as PDF: <see cref="IReviewDocumentRenderer"/> and the
    /// shared <see cref="ChromiumPdf"/>, configured by the <c>Pdf</c> section (ChromiumPath, MaxConcurrent, TimeoutSeconds).
    /// Chromium is launched on the first document, not at start-up, so the app runs on a machine without it.
    /// </summary>
    public static IServiceCollection AddReviewDocuments(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(PdfOptions.Section).Get<PdfOptions>() ?? new PdfOptions();
        services.AddSingleton(options);
        services.AddSingleton<ChromiumPdf>();
        services.AddSingleton<IReviewDocumentRenderer, ReviewDocumentRenderer>();
        return services;
    }
}
