using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DtiPortal.Application.Evidence;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Integration.Tests.Evidence;

/// <summary>Issue 5 through HTTP, signed in with real cookies: the streaming upload, its checks, and scope on download.</summary>
public class EvidenceUploadTests(EvidenceWebFixture fx) : IClassFixture<EvidenceWebFixture>
{
    private const string Officer = "xa.lacdao";

    [Fact]
    public async Task Upload_WhenCommuneOfficerUploadsPdf_StoresItWithItsSha256AndServesItBack()
    {
        var (client, token) = await fx.SignInAsync(Officer);
        var bytes = SampleFiles.Pdf("Kế hoạch chuyển đổi số " + Guid.NewGuid());
        var response = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "1.1", "Kế hoạch số 15.pdf", new ByteArrayContent(bytes),
            new Dictionary<string, string> { ["docNumber"] = "15/KH-UBND", ["issuedOn"] = "2024-03-01", ["issuer"] = "UBND xã Lạc Đạo", ["summary"] = "Kế hoạch CĐS năm 2024" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var json = JsonDocument.Parse(body).RootElement;
        var id = json.GetProperty("id").GetInt32();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), json.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, json.GetProperty("size").GetInt64());
        Assert.Equal("Kế hoạch số 15.pdf", json.GetProperty("fileName").GetString());

        await using (var owner = fx.Db.OwnerContext())
        {
            var row = await owner.EvidenceFiles.SingleAsync(e => e.Id == id);
            Assert.Equal(("15/KH-UBND", new DateOnly(2024, 3, 1), "UBND xã Lạc Đạo", "application/pdf", Officer),
                (row.DocNumber, row.IssuedOn!.Value, row.Issuer, row.ContentType, row.UploadedBy));
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(fx.StorageRoot, row.StorageKey!)));
        }

        var download = await client.GetAsync($"/api/bang-chung/{id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Kế hoạch số 15.pdf", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());

        var preview = await client.GetAsync($"/api/bang-chung/{id}/xem");
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal("inline", preview.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("SAMEORIGIN", preview.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'self'", string.Join(";", preview.Headers.GetValues("Content-Security-Policy")));

        var listed = await new EvidenceQueries(ContextFactory()).ListAsync(fx.LacDaoAssessmentId, default);
        Assert.Contains(listed, e => e.Id == id && e.Sha256OrUrl == json.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Upload_WhenSameFileIsAlreadyAttached_StoresItAndWarnsWhere()
    {
        var (client, token) = await fx.SignInAsync(Officer);
        var bytes = SampleFiles.Pdf("Quyết định thành lập tổ CĐS cộng đồng " + Guid.NewGuid());
        var first = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "3.1", "qd.pdf", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("warning").ValueKind);

        var second = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "3.2", "qd-ban-sao.pdf", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var warning = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("warning").GetString();
        Assert.Equal("Tệp này đã được đính kèm ở tiêu chí 3.1 (đánh giá năm 2024).", warning);
    }

    [Fact]
    public async Task Upload_WhenOverTheSizeLimit_IsRefusedAndNothingIsLeftInStorage()
    {
        var (client, token) = await fx.SignInAsync(Officer);
        var before = fx.StoredFiles();
        var big = SampleFiles.PdfOfSize(EvidenceWebFixture.MaxFileSizeMB * 1024 * 1024 + 200_000);

        // Declared length over the limit: refused before reading.
        var declared = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "1.1", "lon.pdf", new ByteArrayContent(big));
        Assert.Equal(HttpStatusCode.BadRequest, declared.StatusCode);
        Assert.Contains("vượt quá dung lượng cho phép (1 MB)", await declared.Content.ReadAsStringAsync());

        // Chunked (no length announced): refused while streaming, the partial file removed.
        var chunked = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "1.1", "lon.pdf", new StreamContent(new UnknownLengthStream(big)));
        Assert.Equal(HttpStatusCode.BadRequest, chunked.StatusCode);
        Assert.Equal("Tệp \"lon.pdf\" vượt quá dung lượng cho phép (1 MB).",
            (await chunked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        Assert.Equal(before, fx.StoredFiles());
        await using var owner = fx.Db.OwnerContext();
        Assert.False(await owner.EvidenceFiles.AnyAsync(e => e.FileName == "lon.pdf"));
    }

    [Theory]
    [InlineData("bao-cao.pdf", "tệp chương trình")]
    [InlineData("setup.exe", "tệp chương trình")]
    public async Task Upload_WhenFileIsARenamedExecutable_IsRefusedNamingIt(string fileName, string reason)
    {
        var (client, token) = await fx.SignInAsync(Officer);
        var before = fx.StoredFiles();
        var response = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "1.1", fileName, new ByteArrayContent(SampleFiles.Exe()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Contains($"\"{fileName}\"", error);
        Assert.Contains(reason, error);
        Assert.Equal(before, fx.StoredFiles());
    }

    [Fact]
    public async Task Upload_WhenPdfIsReallyHtml_IsRefused()
    {
        var (client, token) = await fx.SignInAsync(Officer);
        var response = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "1.1", "trang.pdf", new ByteArrayContent(SampleFiles.Html()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("HTML", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upload_WithoutAntiforgeryToken_IsRefused()
    {
        var (client, _) = await fx.SignInAsync(Officer);
        var missing = await EvidenceWebFixture.UploadAsync(client, null, fx.LacDaoAssessmentId, "1.1", "a.pdf", new ByteArrayContent(SampleFiles.Pdf()));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var wrong = await EvidenceWebFixture.UploadAsync(client, "CfDJ8-not-a-token", fx.LacDaoAssessmentId, "1.1", "a.pdf", new ByteArrayContent(SampleFiles.Pdf()));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
    }

    [Fact]
    public async Task Api_WhenAnonymous_Answers401NotARedirect()
    {
        var client = fx.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/bang-chung/1")).StatusCode);
    }

    [Fact]
    public async Task OtherCommune_CannotDownloadPreviewOrUpload_AndIsToldNotFound()
    {
        var (owner, ownerToken) = await fx.SignInAsync(Officer);
        var bytes = SampleFiles.Pdf("Báo cáo riêng của Lạc Đạo " + Guid.NewGuid());
        var uploaded = await EvidenceWebFixture.UploadAsync(owner, ownerToken, fx.LacDaoAssessmentId, "2.1", "bao-cao.pdf", new ByteArrayContent(bytes));
        var id = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        var (other, otherToken) = await fx.SignInAsync(EvidenceWebFixture.OtherUser);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/bang-chung/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/bang-chung/{id}/xem")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/bang-chung/999999")).StatusCode); // the same answer as for nothing

        var before = fx.StoredFiles();
        var upload = await EvidenceWebFixture.UploadAsync(other, otherToken, fx.LacDaoAssessmentId, "2.1", "chen.pdf", new ByteArrayContent(SampleFiles.Pdf()));
        Assert.Equal(HttpStatusCode.NotFound, upload.StatusCode);
        Assert.Equal(before, fx.StoredFiles());

        // Their own assessment works.
        var own = await EvidenceWebFixture.UploadAsync(other, otherToken, fx.NhuQuynhAssessmentId, "2.1", "cua-toi.pdf", new ByteArrayContent(SampleFiles.Pdf("NQ")));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Preview_WhenFileIsNotPdfOrImage_IsNotFound_ButDownloads()
    {
        var (client, token) = await fx.SignInAsync(Officer);
        var response = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "1.1", "so-lieu.xlsx", new ByteArrayContent(SampleFiles.Xlsx()));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/bang-chung/{id}/xem")).StatusCode);
        var download = await client.GetAsync($"/api/bang-chung/{id}");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", download.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Upload_WhenAssessmentIsSubmitted_IsRefused()
    {
        await using (var owner = fx.Db.OwnerContext())
            await owner.Database.ExecuteSqlInterpolatedAsync($"update assessments set status = 'Submitted' where id = {fx.NhuQuynhAssessmentId}");
        try
        {
            var (client, token) = await fx.SignInAsync(EvidenceWebFixture.OtherUser);
            var response = await EvidenceWebFixture.UploadAsync(client, token, fx.NhuQuynhAssessmentId, "1.1", "muon.pdf", new ByteArrayContent(SampleFiles.Pdf()));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("đã nộp", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            await using var owner = fx.Db.OwnerContext();
            await owner.Database.ExecuteSqlInterpolatedAsync($"update assessments set status = 'Draft' where id = {fx.NhuQuynhAssessmentId}");
        }
    }

    [Theory]
    [InlineData("zz.99")]
    [InlineData("general:zz")]
    public async Task Upload_WhenCriterionIsNotInTheRoundsSet_IsRefusedNamingItAndStoresNothing(string criterion)
    {
        var (client, token) = await fx.SignInAsync(Officer);
        var before = fx.StoredFiles();
        var response = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, criterion, "ngoai-bo.pdf", new ByteArrayContent(SampleFiles.Pdf()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"Tiêu chí {criterion} không có trong bộ chỉ số của đợt đánh giá này.",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.Equal(before, fx.StoredFiles());
        await using var owner = fx.Db.OwnerContext();
        Assert.False(await owner.EvidenceFiles.AnyAsync(e => e.CriterionCode == criterion));
    }

    [Theory]
    [InlineData("invoice\u202Egpj.pdf", "invoicegpj.pdf")]
    [InlineData("\u200Fbao\u200E-cao\u2066x\u2067y\u2068z\u2069.pdf", "bao-caoxyz.pdf")]
    [InlineData("k\u202A\u202B\u202C\u202D\u061Cq.pdf", "kq.pdf")]
    public async Task Upload_WhenFileNameHasBidiControls_StoresItWithoutThem(string escaped, string expected)
    {
        var fileName = System.Text.RegularExpressions.Regex.Unescape(escaped);
        var (client, token) = await fx.SignInAsync(Officer);
        var response = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "1.1", fileName,
            new ByteArrayContent(SampleFiles.Pdf("bidi " + Guid.NewGuid())));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
        Assert.Equal(expected, JsonDocument.Parse(body).RootElement.GetProperty("fileName").GetString());
        await using var owner = fx.Db.OwnerContext();
        Assert.Equal(expected, await owner.EvidenceFiles.Where(e => e.Id == id).Select(e => e.FileName).SingleAsync());
        var download = await client.GetAsync($"/api/bang-chung/{id}");
        Assert.Equal(expected, download.Content.Headers.ContentDisposition!.FileNameStar);
    }

    [Fact]
    public async Task Upload_WhenDocxIsAZipBomb_IsRefusedInVietnameseAndNothingIsStored()
    {
        var (client, token) = await fx.SignInAsync(Officer);
        var before = fx.StoredFiles();
        var response = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "1.1", "ke-hoach.docx", new ByteArrayContent(SampleFiles.DocxBomb()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Contains("\"ke-hoach.docx\" khi giải nén sẽ chiếm 400 MB", error);
        Assert.Contains("bom nén", error);
        Assert.Equal(before, fx.StoredFiles());
        await using var owner = fx.Db.OwnerContext();
        Assert.False(await owner.EvidenceFiles.AnyAsync(e => e.FileName == "ke-hoach.docx"));
    }

    private Microsoft.EntityFrameworkCore.IDbContextFactory<Application.Data.DtiDbContext> ContextFactory() =>
        new OwnerFactory(fx);

    private sealed class OwnerFactory(EvidenceWebFixture fx) : Microsoft.EntityFrameworkCore.IDbContextFactory<Application.Data.DtiDbContext>
    {
        public Application.Data.DtiDbContext CreateDbContext() => fx.Db.OwnerContext();
    }

    /// <summary>A body whose length HttpClient cannot know, so it is sent chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 16384));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
