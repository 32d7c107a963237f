using System.Net;
using System.Security.Claims;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using DtiPortal.Web.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Evidence;

/// <summary>Links, soft delete and the department officer's limits, through the use cases as the web app wires them.</summary>
public class EvidenceUseCaseTests(EvidenceWebFixture fx) : IClassFixture<EvidenceWebFixture>
{
    [Fact]
    public async Task AddLink_WhenHttps_StoresItWithItsParticulars_AndListsIt()
    {
        await using var s = await ScopeAsAsync("xa.lacdao");
        var id = await s.ServiceProvider.GetRequiredService<AddEvidenceLink>().HandleAsync(new AddEvidenceLinkRequest(
            fx.LacDaoAssessmentId, "4.2", "https://lacdao.hungyen.gov.vn/van-ban/15-kh-ubnd",
            new DocumentInfo("15/KH-UBND", new DateOnly(2024, 3, 1), "UBND xã Lạc Đạo", "Kế hoạch chuyển đổi số năm 2024")));
        var items = await s.ServiceProvider.GetRequiredService<IEvidenceLister>().ListAsync(fx.LacDaoAssessmentId, default);
        var item = Assert.Single(items, i => i.Id == id);
        Assert.Equal((EvidenceKind.Link, "4.2", "https://lacdao.hungyen.gov.vn/van-ban/15-kh-ubnd", "15/KH-UBND"), (item.Kind, item.CriterionCode, item.Url, item.DocNumber));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/api/bang-chung/1")]
    [InlineData("ftp://example.vn/a.pdf")]
    [InlineData("")]
    public async Task AddLink_WhenNotHttpOrHttps_IsRefusedInVietnamese(string url)
    {
        await using var s = await ScopeAsAsync("xa.lacdao");
        var ex = await Assert.ThrowsAsync<DomainException>(() => s.ServiceProvider.GetRequiredService<AddEvidenceLink>()
            .HandleAsync(new AddEvidenceLinkRequest(fx.LacDaoAssessmentId, "4.2", url, DocumentInfo.None)));
        Assert.Contains("link", ex.Message);
    }

    [Fact]
    public async Task Delete_BeforeSubmission_IsSoft_AuditedAndNoLongerServed()
    {
        var (client, token) = await fx.SignInAsync("xa.lacdao");
        var upload = await EvidenceWebFixture.UploadAsync(client, token, fx.LacDaoAssessmentId, "5.1", "xoa.pdf", new ByteArrayContent(SampleFiles.Pdf("xóa " + Guid.NewGuid())));
        var id = System.Text.Json.JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();

        await using (var s = await ScopeAsAsync("xa.lacdao"))
            await s.ServiceProvider.GetRequiredService<DeleteEvidence>().HandleAsync(id);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/bang-chung/{id}")).StatusCode);
        await using var owner = fx.Db.OwnerContext();
        var row = await owner.EvidenceFiles.SingleAsync(e => e.Id == id);
        Assert.NotNull(row.DeletedAt);
        Assert.Equal("xa.lacdao", row.DeletedBy);
        Assert.True(File.Exists(Path.Combine(fx.StorageRoot, row.StorageKey!))); // soft: the file stays
        Assert.True(await owner.AuditLog.AnyAsync(a => a.EntityType == nameof(EvidenceFile) && a.EntityId == id.ToString() && a.Action == "Update"));
    }

    [Fact]
    public async Task DepartmentOfficer_MayAttachOnlyToCriteriaAssignedToTheirDepartment()
    {
        await using (var owner = fx.Db.OwnerContext())
        {
            var unitId = await owner.Assessments.Where(a => a.Id == fx.LacDaoAssessmentId).Select(a => a.UnitId).SingleAsync();
            if (!await owner.CriterionAssignments.AnyAsync(a => a.AssessmentId == fx.LacDaoAssessmentId && a.CriterionCode == "6.1"))
            {
                owner.Add(new CriterionAssignment(fx.LacDaoAssessmentId, unitId, "6.1", "Văn phòng - Thống kê"));
                owner.Add(new CriterionAssignment(fx.LacDaoAssessmentId, unitId, "6.2", "Văn hóa - Xã hội"));
                await owner.SaveChangesAsync();
            }
        }
        await using var s = await ScopeAsAsync("vanphong.lacdao");
        var add = s.ServiceProvider.GetRequiredService<AddEvidenceLink>();
        Assert.True(await add.HandleAsync(new AddEvidenceLinkRequest(fx.LacDaoAssessmentId, "6.1", "https://example.vn/bao-cao", DocumentInfo.None)) > 0);
        var ex = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            add.HandleAsync(new AddEvidenceLinkRequest(fx.LacDaoAssessmentId, "6.2", "https://example.vn/bao-cao", DocumentInfo.None)));
        Assert.Contains("không được giao cho phòng/ban của bạn", ex.Message);
    }

    [Fact]
    public async Task Reviewer_CannotAttachEvidence()
    {
        await using var s = await ScopeAsAsync("thamtra.vanlam");
        await Assert.ThrowsAsync<AccessDeniedException>(() => s.ServiceProvider.GetRequiredService<AddEvidenceLink>()
            .HandleAsync(new AddEvidenceLinkRequest(fx.LacDaoAssessmentId, "1.1", "https://example.vn", DocumentInfo.None)));
    }

    /// <summary>A DI scope of the web app acting as a stored user, with the claims the sign-in would give them.</summary>
    private async Task<AsyncServiceScope> ScopeAsAsync(string userName)
    {
        AppUser user;
        List<string> roles;
        await using (var owner = fx.Db.OwnerContext())
        {
            user = await owner.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
            roles = await (from ur in owner.UserRoles join r in owner.Roles on ur.RoleId equals r.Id where ur.UserId == user.Id select r.Name!).ToListAsync();
        }
        var s = fx.Factory.Services.CreateAsyncScope();
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Id), new(ClaimTypes.Name, userName), new(AppClaims.UnitId, user.UnitId.ToString()) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        s.ServiceProvider.GetRequiredService<CurrentUser>().Set(new ClaimsPrincipal(new ClaimsIdentity(claims, "test")), "127.0.0.1");
        return s;
    }
}
