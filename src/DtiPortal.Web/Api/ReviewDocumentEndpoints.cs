using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using Microsoft.Net.Http.Headers;

namespace DtiPortal.Web.Api;

/// <summary>
/// The review documents of an approved assessment (issue 6) over plain HTTP, for the download links of the review and entry
/// pages: <c>GET /api/van-ban/{assessmentId}/bien-ban</c> (biên bản thẩm định) and <c>…/quyet-dinh</c> (quyết định công nhận),
/// optionally <c>?v=</c> for an earlier result version. Needs a signed-in user; <see cref="ReviewDocuments.OpenAsync"/> applies
/// the user's scope, so a document outside it answers 404 like one that does not exist.
/// </summary>
public static class ReviewDocumentEndpoints
{
    public const string Route = "/api/van-ban";

    public static void MapReviewDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup(Route).RequireAuthorization().AuditRefusals()
            .MapGet("/{assessmentId:int}/{kind}", ServeAsync);
    }

    private static async Task<IResult> ServeAsync(int assessmentId, string kind, int? v, ReviewDocuments documents, HttpContext http)
    {
        ReviewDocumentKind? which = kind switch
        {
            "bien-ban" => ReviewDocumentKind.AppraisalMinutes,
            "quyet-dinh" => ReviewDocumentKind.RecognitionDecision,
            _ => null,
        };
        if (which is null) return Error(404, "Không có loại văn bản này (chỉ có “bien-ban” và “quyet-dinh”).");
        DocumentFile? file;
        try
        {
            file = await documents.OpenAsync(assessmentId, which.Value, v, http.RequestAborted);
        }
        catch (AccessDeniedException)
        {
            file = null; // outside the user's scope: the same answer as a document that does not exist
        }
        if (file is null)
            return Error(404, which == ReviewDocumentKind.AppraisalMinutes
                ? "Không tìm thấy biên bản thẩm định của bản đánh giá này (chưa được phê duyệt hoặc văn bản chưa được tạo)."
                : "Không tìm thấy quyết định công nhận của bản đánh giá này (chưa được phê duyệt hoặc văn bản chưa được tạo).");

        http.Response.RegisterForDisposeAsync(file.Content);
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, no-store";
        // An ASCII fallback without diacritics (filename=) for old clients, and the Vietnamese name in UTF-8 (filename*=).
        var disposition = new ContentDispositionHeaderValue("attachment") { FileName = AsciiName(file.FileName) };
        disposition.FileNameStar = file.FileName;
        headers.ContentDisposition = disposition.ToString();
        var contentType = string.IsNullOrWhiteSpace(file.ContentType) ? "application/pdf" : file.ContentType;
        return Results.Stream(file.Content, contentType, enableRangeProcessing: false);
    }

    /// <summary>"Biên bản thẩm định - Xã Lạc Đạo.pdf" → "Bien ban tham dinh - Xa Lac Dao.pdf".</summary>
    internal static string AsciiName(string name)
    {
        var decomposed = name.Replace('đ', 'd').Replace('Đ', 'D').Normalize(System.Text.NormalizationForm.FormD);
        var ascii = new System.Text.StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(ch) == System.Globalization.UnicodeCategory.NonSpacingMark) continue;
            ascii.Append(ch is >= ' ' and <= '~' && ch is not '"' and not '\\' ? ch : '_');
        }
        return ascii.ToString();
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
