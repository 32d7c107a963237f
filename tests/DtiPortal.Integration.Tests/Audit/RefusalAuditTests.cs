using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DtiPortal.Integration.Tests.Evidence;
using DtiPortal.Web.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Audit;

/// <summary>
/// Issue 16 §1: every refusal leaves the same trace in the audit trail (action AccessDenied, Success false, who, what and why),
/// whether a use case's guard refused or an endpoint answered 4xx. Walks every HTTP endpoint, then every way the probe was
/// refused without a trace. (The use cases' own refusals: EntryTemplateImportTests and UserAdministrationTests.)
/// </summary>
public class RefusalAuditTests(EvidenceWebFixture fx) : IClassFixture<EvidenceWebFixture>
{
    private const string Officer = "xa.lacdao";

    [Fact]
    public void EveryApiEndpointAndSignOut_AuditsItsRefusals()
    {
        var endpoints = fx.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } p && (p.StartsWith("/api/", StringComparison.Ordinal) || p == "/dang-xuat"))
            .ToList();
        Assert.True(endpoints.Count >= 10, "expected the evidence, spreadsheet, report and document endpoints and sign-out; found " + endpoints.Count);
        var unaudited = endpoints.Where(e => e.Metadata.GetMetadata<AuditsRefusals>() is null).Select(e => e.RoutePattern.RawText).ToList();
        Assert.True(unaudited.Count == 0, "Endpoints whose refusals are not audited: " + string.Join(", ", unaudited));
    }

    public static TheoryData<string> Refusals =>
    [
        "download-other-units-evidence", "preview-other-units-evidence", "download-missing-id", "upload-other-units-assessment",
        "upload-locked-assessment", "upload-forbidden-type", "upload-criterion-not-in-set", "upload-without-token",
        "sign-out-without-token", "workbook-of-other-unit", "template-of-other-unit", "report-of-other-unit", "minutes-of-other-unit",
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refusal_IsAuditedOnceWithWhoWhatAndWhy(string kind)
    {
        var (owner, ownerToken) = await fx.SignInAsync(Officer);
        var uploaded = await EvidenceWebFixture.UploadAsync(owner, ownerToken, fx.LacDaoAssessmentId, "2.1", "rieng.pdf",
            new ByteArrayContent(SampleFiles.Pdf("Riêng của Lạc Đạo " + Guid.NewGuid())));
        var evidenceId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var (other, otherToken) = await fx.SignInAsync(EvidenceWebFixture.OtherUser);
        var last = await LastAuditIdAsync();

        var locked = kind == "upload-locked-assessment";
        if (locked) await SetStatusAsync(fx.NhuQuynhAssessmentId, "Submitted");
        HttpResponseMessage response;
        try
        {
            response = kind switch
            {
                "download-other-units-evidence" => await other.GetAsync($"/api/bang-chung/{evidenceId}"),
                "preview-other-units-evidence" => await other.GetAsync($"/api/bang-chung/{evidenceId}/xem"),
                "download-missing-id" => await other.GetAsync("/api/bang-chung/987654"),
                "upload-other-units-assessment" => await Upload(other, otherToken, fx.LacDaoAssessmentId, "1.1", "chen.pdf", SampleFiles.Pdf()),
                "upload-locked-assessment" => await Upload(other, otherToken, fx.NhuQuynhAssessmentId, "1.1", "muon.pdf", SampleFiles.Pdf()),
                "upload-forbidden-type" => await Upload(other, otherToken, fx.NhuQuynhAssessmentId, "1.1", "setup.exe", SampleFiles.Exe()),
                "upload-criterion-not-in-set" => await Upload(other, otherToken, fx.NhuQuynhAssessmentId, "zz.99", "a.pdf", SampleFiles.Pdf()),
                "upload-without-token" => await Upload(other, null, fx.NhuQuynhAssessmentId, "1.1", "a.pdf", SampleFiles.Pdf()),
                "sign-out-without-token" => await other.PostAsync("/dang-xuat", new FormUrlEncodedContent(new Dictionary<string, string>())),
                "workbook-of-other-unit" => await other.GetAsync($"/api/bang-tinh/danh-gia/{fx.LacDaoAssessmentId}"),
                "template-of-other-unit" => await other.GetAsync($"/api/bang-tinh/mau-nhap/{fx.LacDaoAssessmentId}"),
                "report-of-other-unit" => await other.GetAsync($"/api/bao-cao/danh-gia/{fx.LacDaoAssessmentId}"),
                "minutes-of-other-unit" => await other.GetAsync($"/api/van-ban/{fx.LacDaoAssessmentId}/bien-ban"),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }
        finally
        {
            if (locked) await SetStatusAsync(fx.NhuQuynhAssessmentId, "Draft");
        }

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{kind}: {response.StatusCode}");
        await using var db = fx.Db.OwnerContext();
        var rows = await db.AuditLog.AsNoTracking().Where(e => e.Id > last && e.Action == "AccessDenied").ToListAsync();
        var row = Assert.Single(rows);
        Assert.False(row.Success);
        Assert.Equal(EvidenceWebFixture.OtherUser, row.UserName);
        Assert.False(string.IsNullOrWhiteSpace(row.Detail));
        Assert.Contains(": ", row.Detail); // "what was asked: why not"
    }

    [Fact]
    public async Task SweepOverEvidenceIds_LeavesOneRowPerAttempt()
    {
        var (other, _) = await fx.SignInAsync(EvidenceWebFixture.OtherUser);
        var last = await LastAuditIdAsync();
        for (var id = 500_000; id < 500_020; id++)
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/bang-chung/{id}")).StatusCode);
        await using var db = fx.Db.OwnerContext();
        var rows = await db.AuditLog.AsNoTracking().Where(e => e.Id > last && e.Action == "AccessDenied").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(20, rows.Count);
        Assert.Equal(Enumerable.Range(500_000, 20).Select(id => $"GET /api/bang-chung/{id}: Không tìm thấy tài liệu kiểm chứng."), rows.Select(r => r.Detail));
    }

    private static Task<HttpResponseMessage> Upload(HttpClient client, string? token, int assessmentId, string criterion, string name, byte[] bytes) =>
        EvidenceWebFixture.UploadAsync(client, token, assessmentId, criterion, name, new ByteArrayContent(bytes));

    private async Task<long> LastAuditIdAsync()
    {
        await using var db = fx.Db.OwnerContext();
        return await db.AuditLog.MaxAsync(e => (long?)e.Id) ?? 0;
    }

    private async Task SetStatusAsync(int assessmentId, string status)
    {
        await using var owner = fx.Db.OwnerContext();
        await owner.Database.ExecuteSqlAsync($"update assessments set status = {status} where id = {assessmentId}");
    }
}
