using DtiPortal.Application.Reporting.Reports;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using Microsoft.Net.Http.Headers;

namespace DtiPortal.Web.Api;

/// <summary>
/// The PDF reports over plain HTTP (issue 7, docs/user/bao-cao.md), for the links of the pages:
/// <list type="bullet">
/// <item><c>GET /api/bao-cao/danh-gia/{assessmentId}</c>: one unit's assessment report, rendered now;</item>
/// <item><c>GET /api/bao-cao/tong-hop/{roundId}?donVi={unitId}</c>: the summary of a district or province, rendered now;</item>
/// <item><c>GET /api/bao-cao/luu-tru/{jobId}</c>: the archive of a completed report job (<see cref="RequestReportArchive"/>).</item>
/// </list>
/// Needs a signed-in user; the use cases apply the user's scope, so something outside it answers 404 like something that does
/// not exist. A rendering failure (Chromium) answers 503 with the Vietnamese reason.
/// </summary>
public static class ReportEndpoints
{
    public const string Route = "/api/bao-cao";
    private const string AssessmentNotFound = "Không tìm thấy bản đánh giá này, hoặc bản đánh giá nằm ngoài phạm vi của bạn.";

    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).RequireAuthorization().AuditRefusals();
        group.MapGet("/danh-gia/{assessmentId:int}", async (int assessmentId, ReportQueries reports, IReportRenderer renderer, HttpContext http) =>
        {
            try
            {
                var model = await reports.UnitAsync(assessmentId, audited: true, http.RequestAborted);
                var pdf = await renderer.UnitReportPdfAsync(model, http.RequestAborted);
                return Pdf(http, pdf, $"Báo cáo đánh giá - {model.UnitName} - {model.Year}.pdf");
            }
            catch (AccessDeniedException)
            {
                return Error(StatusCodes.Status404NotFound, AssessmentNotFound);
            }
            catch (ReviewDocumentException ex)
            {
                return Error(StatusCodes.Status503ServiceUnavailable, ex.Message);
            }
        });
        group.MapGet("/tong-hop/{roundId:int}", async (int roundId, int? donVi, ReportQueries reports, IReportRenderer renderer, HttpContext http) =>
        {
            if (donVi is null) return Error(StatusCodes.Status400BadRequest, "Hãy chọn huyện hoặc tỉnh cần tổng hợp (tham số donVi).");
            try
            {
                var model = await reports.SummaryAsync(roundId, donVi.Value, audited: true, http.RequestAborted);
                var pdf = await renderer.SummaryReportPdfAsync(model, http.RequestAborted);
                return Pdf(http, pdf, $"Báo cáo tổng hợp - {model.ScopeName} - {model.Round.Year}.pdf");
            }
            catch (AccessDeniedException ex)
            {
                return Error(StatusCodes.Status404NotFound, ex.Message);
            }
            catch (ReviewDocumentException ex)
            {
                return Error(StatusCodes.Status503ServiceUnavailable, ex.Message);
            }
        });
        group.MapGet("/luu-tru/{jobId:guid}", async (Guid jobId, ReportJobQueries jobs, HttpContext http) =>
        {
            var archive = await jobs.OpenArchiveAsync(jobId, http.RequestAborted);
            if (archive is null) return Error(StatusCodes.Status404NotFound, ReportJobQueries.NotFound);
            http.Response.RegisterForDisposeAsync(archive.Content);
            Headers(http, archive.FileName);
            return Results.Stream(archive.Content, ReportArchive.ContentType, enableRangeProcessing: false);
        });
    }

    private static IResult Pdf(HttpContext http, byte[] pdf, string fileName)
    {
        Headers(http, fileName);
        return Results.Bytes(pdf, ReportFile.ContentType);
    }

    private static void Headers(HttpContext http, string fileName)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, no-store";
        // An ASCII fallback without diacritics (filename=) for old clients, and the Vietnamese name in UTF-8 (filename*=).
        var disposition = new ContentDispositionHeaderValue("attachment") { FileName = ReviewDocumentEndpoints.AsciiName(fileName) };
        disposition.FileNameStar = fileName;
        headers.ContentDisposition = disposition.ToString();
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
