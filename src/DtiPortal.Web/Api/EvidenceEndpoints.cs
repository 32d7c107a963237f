using System.Globalization;
using System.Text;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace DtiPortal.Web.Api;

/// <summary>
/// Evidence files over plain HTTP (issue 5; STACK.md: large uploads do not travel over the Blazor circuit):
/// <list type="bullet">
/// <item><c>POST /api/bang-chung?assessmentId=&amp;criterion=</c>: multipart/form-data, read section by section (never buffered as
///   IFormFile): optional fields <c>docNumber</c>, <c>issuedOn</c> (yyyy-MM-dd), <c>issuer</c>, <c>summary</c>, then one <c>file</c>.
///   The antiforgery token comes in the <c>RequestVerificationToken</c> header. Answers
///   <c>{id, fileName, size, sha256, contentType, warning}</c>, or 400/403/404 with <c>{error}</c> in Vietnamese.</item>
/// <item><c>GET /api/bang-chung/{id}</c>: download (attachment). <c>GET /api/bang-chung/{id}/xem</c>: inline, PDF and images only,
///   for the preview frame. Both answer 404 for a file outside the user's scope, as for one that does not exist.</item>
/// </list>
/// The page side is <c>wwwroot/js/evidence-upload.js</c>.
/// </summary>
public static class EvidenceEndpoints
{
    public const string Route = "/api/bang-chung";
    private const int MaxFieldLength = 4000;

    public static void MapEvidenceEndpoints(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<EvidenceOptions>();
        var group = app.MapGroup(Route).RequireAuthorization().AuditRefusals();

        group.MapPost("", UploadAsync)
            .DisableAntiforgery() // validated by hand from the header: the automatic check would buffer the multipart form
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(options.MaxFileSizeBytes + EvidenceOptions.MultipartOverheadBytes))
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestFormLimitsAttribute { MultipartBodyLengthLimit = options.MaxFileSizeBytes + EvidenceOptions.MultipartOverheadBytes });
        group.MapGet("/{id:int}", (int id, OpenEvidence open, HttpContext http) => ServeAsync(id, inline: false, open, http));
        group.MapGet("/{id:int}/xem", (int id, OpenEvidence open, HttpContext http) => ServeAsync(id, inline: true, open, http));
    }

    private static async Task<IResult> UploadAsync(HttpContext http, int? assessmentId, string? criterion, IAntiforgery antiforgery,
        Microsoft.Extensions.Options.IOptions<AntiforgeryOptions> antiforgeryOptions, UploadEvidence upload, EvidenceOptions options, ILogger<UploadUseCaseLog> logger)
    {
        var ct = http.RequestAborted;
        var request = http.Request;
        var limit = options.MaxFileSizeBytes + EvidenceOptions.MultipartOverheadBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature) sizeFeature.MaxRequestBodySize = limit;

        // The token must come in the header: without it ValidateRequestAsync would read (buffer) the multipart form.
        if (!request.Headers.ContainsKey(antiforgeryOptions.Value.HeaderName ?? "RequestVerificationToken"))
            return Error(400, "Thiếu mã chống giả mạo yêu cầu (RequestVerificationToken). Hãy tải lại trang rồi thử lại.");
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            return Error(400, "Mã chống giả mạo yêu cầu không hợp lệ hoặc đã hết hạn. Hãy tải lại trang rồi thử lại.");
        }

        if (assessmentId is null || string.IsNullOrWhiteSpace(criterion))
            return Error(400, "Thiếu mã bản đánh giá (assessmentId) hoặc mã tiêu chí (criterion).");
        if (request.ContentLength > limit)
            return Error(400, $"Tệp vượt quá dung lượng cho phép ({options.MaxFileSizeMB} MB).");
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
            return Error(400, "Yêu cầu tải lên phải có dạng multipart/form-data.");

        try
        {
            // Refuse before reading a byte of the file: another commune's assessment, a submitted one, a criterion not assigned.
            await upload.AuthorizeAsync(assessmentId.Value, criterion, ct);

            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var section = await reader.ReadNextSectionAsync(ct); section is not null; section = await reader.ReadNextSectionAsync(ct))
            {
                // (IsFormDisposition() is false for a file part: it means "a form field without a file name".)
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                    continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    if (!name.Equals("file", StringComparison.OrdinalIgnoreCase)) continue;
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star ? star
                        : HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "";
                    var document = ReadDocument(fields);
                    if (document.Error is not null) return Error(400, document.Error);
                    var result = await upload.HandleAsync(new UploadEvidenceRequest(assessmentId.Value, criterion, fileName, document.Info!), section.Body, ct);
                    if (!result.Stored) return Error(400, result.Error!);
                    return Results.Json(new UploadResponse(result.Id!.Value, result.FileName!, result.Size, result.Sha256!, result.ContentType!, result.Warning));
                }
                fields[name] = await ReadFieldAsync(section, ct);
            }
            return Error(400, "Không có tệp nào trong yêu cầu tải lên (trường \"file\").");
        }
        catch (EvidenceNotFoundException ex) { return Error(404, ex.Message); }
        catch (AccessDeniedException ex) { return Error(403, ex.Message); }
        catch (DomainException ex) { return Error(400, ex.Message); }
        catch (InvalidDataException ex)
        {
            logger.LogInformation(ex, "Malformed evidence upload");
            return Error(400, "Yêu cầu tải lên không đúng định dạng multipart/form-data.");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Error(400, $"Tệp vượt quá dung lượng cho phép ({options.MaxFileSizeMB} MB).");
        }
    }

    private static async Task<string> ReadFieldAsync(MultipartSection section, CancellationToken ct)
    {
        using var reader = new StreamReader(section.Body, Encoding.UTF8);
        var buffer = new char[MaxFieldLength + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await reader.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0) break;
            read += n;
        }
        if (read > MaxFieldLength) throw new DomainException($"Một trường thông tin văn bản dài quá {MaxFieldLength} ký tự.");
        return new string(buffer, 0, read);
    }

    private static (DocumentInfo? Info, string? Error) ReadDocument(Dictionary<string, string> fields)
    {
        DateOnly? issuedOn = null;
        if (fields.TryGetValue("issuedOn", out var d) && !string.IsNullOrWhiteSpace(d))
        {
            if (!DateOnly.TryParseExact(d.Trim(), ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return (null, $"Ngày ban hành \"{d}\" không hợp lệ (dạng ngày/tháng/năm).");
            issuedOn = date;
        }
        return (new DocumentInfo(fields.GetValueOrDefault("docNumber"), issuedOn, fields.GetValueOrDefault("issuer"), fields.GetValueOrDefault("summary")), null);
    }

    private static async Task<IResult> ServeAsync(int id, bool inline, OpenEvidence open, HttpContext http)
    {
        var file = await open.HandleAsync(id, forPreview: inline, http.RequestAborted);
        if (file is null) return Error(404, "Không tìm thấy tài liệu kiểm chứng.");
        http.Response.RegisterForDisposeAsync(file);
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, no-store";
        if (file.Sha256 is not null) headers.ETag = $"\"{file.Sha256}\"";
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(file.FileName);
        headers.ContentDisposition = disposition.ToString();
        if (inline)
        {
            // Shown in a frame of our own page: allow framing by this site only, and let the file run nothing.
            headers.XFrameOptions = "SAMEORIGIN";
            headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'self'";
        }
        if (file.Size is { } size) http.Response.ContentLength = size;
        return Results.Stream(file.Content, file.ContentType, enableRangeProcessing: false);
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    public sealed record UploadResponse(int Id, string FileName, long Size, string Sha256, string ContentType, string? Warning);

    /// <summary>The logger category of the upload endpoint.</summary>
    public sealed class UploadUseCaseLog;
}
