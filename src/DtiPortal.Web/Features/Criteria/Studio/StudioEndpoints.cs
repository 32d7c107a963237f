using System.Text;
using DtiPortal.Application.Criteria.Studio;
using DtiPortal.Application.Criteria.Workbook;
using DtiPortal.Application.Tenancy;
using DtiPortal.Web.Api;
using Microsoft.Net.Http.Headers;

namespace DtiPortal.Web.Features.Criteria.Studio;

/// <summary>
/// Downloads of the criteria-set studio (issue 14), over plain HTTP for the page's links:
/// <list type="bullet">
/// <item><c>GET /api/soan-bo-chi-so/mau-trong.xlsx</c>: the blank workbook template (<see cref="CriteriaWorkbook"/>);</item>
/// <item><c>GET /api/soan-bo-chi-so/nhap/{id}.xlsx</c> and <c>.yaml</c>: a draft as a workbook or as its YAML text;</item>
/// <item><c>GET /api/soan-bo-chi-so/nhap/{id}/quyet-dinh</c>: the decision PDF attached to a draft;</item>
/// <item><c>GET /api/soan-bo-chi-so/quyet-dinh/{setId}/{version}</c>: the decision PDF of a published version.</item>
/// </list>
/// A draft outside the user's scope answers 404 like one that does not exist.
/// </summary>
public static class StudioEndpoints
{
    public const string Route = "/api/soan-bo-chi-so";
    private const string NotFound = "Không tìm thấy bản nháp hoặc tệp này, hoặc nó nằm ngoài phạm vi của bạn.";

    public static void MapStudioEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).RequireAuthorization().AuditRefusals(); // issue 16 §1: every refusal audited
        group.MapGet("/mau-trong.xlsx", [Microsoft.AspNetCore.Authorization.Authorize(Roles = "ProvincialAdmin,SystemAdmin")] (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            CriteriaWorkbook.WriteBlankTemplate(buffer);
            return File(http, buffer.ToArray(), CriteriaWorkbook.ContentType, "mau-bo-chi-so.xlsx");
        });
        group.MapGet("/nhap/{id:int}.xlsx", async (int id, CriteriaStudio studio, HttpContext http) =>
        {
            var draft = await DraftAsync(studio, id, http);
            if (draft is null) return NotFoundResult();
            using var buffer = new MemoryStream();
            CriteriaWorkbook.Write(draft.Yaml, buffer);
            return File(http, buffer.ToArray(), CriteriaWorkbook.ContentType, $"{FileStem(draft)}.xlsx");
        });
        group.MapGet("/nhap/{id:int}.yaml", async (int id, CriteriaStudio studio, HttpContext http) =>
        {
            var draft = await DraftAsync(studio, id, http);
            return draft is null ? NotFoundResult() : File(http, Encoding.UTF8.GetBytes(draft.Yaml), "application/yaml; charset=utf-8", $"{FileStem(draft)}.yaml");
        });
        group.MapGet("/nhap/{id:int}/quyet-dinh", (int id, CriteriaStudio studio, HttpContext http) =>
            DecisionAsync(http, () => studio.OpenDecisionAsync(id, null, null, http.RequestAborted)));
        group.MapGet("/quyet-dinh/{setId}/{version:int}", (string setId, int version, CriteriaStudio studio, HttpContext http) =>
            DecisionAsync(http, () => studio.OpenDecisionAsync(null, setId, version, http.RequestAborted)));
    }

    private static async Task<DraftDetail?> DraftAsync(CriteriaStudio studio, int id, HttpContext http)
    {
        try
        {
            return await studio.GetAsync(id, http.RequestAborted);
        }
        catch (AccessDeniedException)
        {
            return null;
        }
    }

    private static async Task<IResult> DecisionAsync(HttpContext http, Func<Task<(Stream Content, string FileName)?>> open)
    {
        (Stream Content, string FileName)? file;
        try
        {
            file = await open();
        }
        catch (AccessDeniedException)
        {
            file = null;
        }
        if (file is not { } f) return NotFoundResult();
        Headers(http, f.FileName, inline: true);
        return Results.Stream(f.Content, "application/pdf");
    }

    private static string FileStem(DraftDetail draft)
    {
        var header = DraftHeader.Read(draft.Yaml);
        return header.SetId.Length > 0 ? $"{header.SetId}-v{header.Version}-nhap" : $"ban-nhap-{draft.Id}";
    }

    private static IResult NotFoundResult() => Results.Json(new { error = NotFound }, statusCode: StatusCodes.Status404NotFound);

    private static IResult File(HttpContext http, byte[] content, string contentType, string fileName)
    {
        Headers(http, fileName, inline: false);
        return Results.Bytes(content, contentType);
    }

    private static void Headers(HttpContext http, string fileName, bool inline)
    {
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "private, no-store";
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment") { FileName = ReviewDocumentEndpoints.AsciiName(fileName) };
        disposition.FileNameStar = fileName;
        headers.ContentDisposition = disposition.ToString();
    }
}
