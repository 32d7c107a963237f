using DtiPortal.Application.Spreadsheets;
using DtiPortal.Application.Tenancy;
using Microsoft.Net.Http.Headers;

namespace DtiPortal.Web.Api;

/// <summary>
/// Spreadsheets over plain HTTP (issue 7, docs/user/bang-tinh.md), for the download links of the pages:
/// <list type="bullet">
/// <item><c>GET /api/bang-tinh/danh-gia/{assessmentId}</c>: the unit's assessment in the familiar layout (.xlsx);</item>
/// <item><c>GET /api/bang-tinh/mau-nhap/{assessmentId}</c>: the entry template, filled with the current values;</item>
/// <item><c>GET /api/bang-tinh/xep-hang/{roundId}?donVi={parentId}</c>: the round's ranking and aggregates for the units in the
///   user's scope, optionally under one district or province.</item>
/// <item><c>GET /api/bang-tinh/kiem-tra-chat-luong/{roundId}?kiemTra=thay-doi|cung-dot&amp;tim=…&amp;daDanhDau=true&amp;nguong=50</c>: the round's
///   data-quality list (issue 15) for reviewers, in their scope.</item>
/// </list>
/// Uploading a filled template happens on the page (<c>/danh-gia/{id}/bang-tinh</c>, at most 5 MB). Needs a signed-in user;
/// the use cases apply the user's scope, so an assessment or round outside it answers 404 like one that does not exist.
/// </summary>
public static class SpreadsheetEndpoints
{
    public const string Route = "/api/bang-tinh";

    public static void MapSpreadsheetEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).RequireAuthorization().AuditRefusals();
        group.MapGet("/danh-gia/{assessmentId:int}", (int assessmentId, AssessmentWorkbook workbook, HttpContext http) =>
            ServeAsync(http, () => workbook.BuildAsync(assessmentId, http.RequestAborted), "Không tìm thấy bản đánh giá này, hoặc bản đánh giá nằm ngoài phạm vi của bạn."));
        group.MapGet("/mau-nhap/{assessmentId:int}", (int assessmentId, EntryTemplate template, HttpContext http) =>
            ServeAsync(http, () => template.BuildAsync(assessmentId, http.RequestAborted), "Không tìm thấy bản đánh giá này, hoặc bản đánh giá nằm ngoài phạm vi của bạn."));
        group.MapGet("/xep-hang/{roundId:int}", (int roundId, int? donVi, ExportRanking ranking, HttpContext http) =>
            ServeAsync(http, () => ranking.HandleAsync(roundId, donVi, http.RequestAborted), ExportRanking.RoundNotFoundMessage));
        // issue 15: the data-quality list (docs/user/kiem-tra-chat-luong.md), with the page's filters in the query string.
        group.MapGet("/kiem-tra-chat-luong/{roundId:int}", async (int roundId, string? kiemTra, string? tim, bool? daDanhDau, decimal? nguong,
            Application.Quality.ExportQuality export, HttpContext http) =>
        {
            var filter = Application.Quality.QualityLink.Filter(kiemTra, tim, daDanhDau, nguong);
            var result = await export.HandleAsync(roundId, filter, http.RequestAborted);
            return result.Ok
                ? await ServeAsync(http, () => Task.FromResult(result.Value!), ExportRanking.RoundNotFoundMessage)
                : Results.Json(new { error = result.Error }, statusCode: StatusCodes.Status404NotFound);
        });
    }

    private static async Task<IResult> ServeAsync(HttpContext http, Func<Task<SpreadsheetFile>> build, string notFound)
    {
        SpreadsheetFile file;
        try
        {
            file = await build();
        }
        catch (AccessDeniedException)
        {
            // Outside the user's scope: the same answer as something that does not exist.
            return Results.Json(new { error = notFound }, statusCode: StatusCodes.Status404NotFound);
        }
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, no-store";
        // An ASCII fallback without diacritics (filename=) for old clients, and the Vietnamese name in UTF-8 (filename*=).
        var disposition = new ContentDispositionHeaderValue("attachment") { FileName = ReviewDocumentEndpoints.AsciiName(file.FileName) };
        disposition.FileNameStar = file.FileName;
        headers.ContentDisposition = disposition.ToString();
        return Results.Bytes(file.Content, SpreadsheetFile.ContentType);
    }
}
