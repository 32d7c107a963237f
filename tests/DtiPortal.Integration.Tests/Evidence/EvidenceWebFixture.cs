using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Identity;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Evidence;

/// <summary>
/// The real web app on a fresh database with the demo units and accounts, a 2024 round with assessments for Lạc Đạo (the demo
/// commune officer xa.lacdao) and Như Quỳnh (a commune officer created here), evidence stored in a temporary folder, and a
/// size limit of 1 MB so the limit is cheap to test.
/// </summary>
public sealed partial class EvidenceWebFixture : IAsyncLifetime
{
    public const int MaxFileSizeMB = 1;
    public const string OtherUser = "xa.nhuquynh";

    public TestDatabase Db { get; } = new();
    public string StorageRoot { get; } = Path.Combine(Path.GetTempPath(), "dti-evidence-web-" + Guid.NewGuid().ToString("N"));
    public WebApplicationFactory<Program> Factory { get; private set; } = default!;
    public int LacDaoAssessmentId { get; private set; }
    public int NhuQuynhAssessmentId { get; private set; }

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Dti", Db.ConnectionString);
            b.UseSetting("Demo:Seed", "true");
            b.UseSetting("Evidence:Directory", StorageRoot);
            b.UseSetting("Evidence:MaxFileSizeMB", MaxFileSizeMB.ToString());
        });
        _ = Factory.Server; // start: migrate, sync the built-in sets, seed the demo data

        await using (var owner = Database.CreateOwnerContext(Factory.Services))
        {
            var units = await owner.Units.Where(u => u.Code == "33" || u.Code == "33-VL-LDA" || u.Code == "33-VL-NQU").ToDictionaryAsync(u => u.Code);
            var setVersion = await owner.CriteriaSetVersions.OrderBy(v => v.Id).Select(v => v.Id).FirstAsync();
            var round = new AssessmentRound(2024, "Đánh giá chuyển đổi số cấp xã năm 2024", setVersion, units["33"].Id, units["33-VL-LDA"].LevelCode,
                new DateOnly(2099, 12, 12), new DateOnly(2099, 12, 20), new DateOnly(2099, 12, 30), hasDistrictTier: true, DateTimeOffset.UtcNow, "test");
            var lacDao = new Assessment(round, units["33-VL-LDA"].Id);
            var nhuQuynh = new Assessment(round, units["33-VL-NQU"].Id);
            owner.AddRange(round, lacDao, nhuQuynh);
            await owner.SaveChangesAsync();
            (LacDaoAssessmentId, NhuQuynhAssessmentId) = (lacDao.Id, nhuQuynh.Id);

            await using var scope = Factory.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<DtiPortal.Web.Auth.CurrentUser>().ActAsSystem();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { UserName = OtherUser, FullName = "Cán bộ xã Như Quỳnh", UnitId = units["33-VL-NQU"].Id, LockoutEnabled = true, CreatedAt = DateTimeOffset.UtcNow };
            Assert.True((await users.CreateAsync(user, DemoUsers.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.CommuneOfficer)).Succeeded);
        }
    }

    /// <summary>Signs in through the real /dang-nhap form (with its antiforgery token) and returns the client with its cookies
    /// and an antiforgery token for the signed-in user, taken from a page's sign-out form as the browser would have it.</summary>
    public async Task<(HttpClient Client, string Token)> SignInAsync(string userName)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await client.GetStringAsync("/dang-nhap");
        var response = await client.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.UserName"] = userName, ["Input.Password"] = DemoUsers.Password,
            ["__RequestVerificationToken"] = Token(login),
        }));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"sign-in of {userName} answered {response.StatusCode}");
        var page = await client.GetStringAsync("/");
        return (client, Token(page));
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string? token, int assessmentId, string criterion, string fileName,
        HttpContent fileContent, IDictionary<string, string>? fields = null)
    {
        var form = new MultipartFormDataContent();
        foreach (var (k, v) in fields ?? new Dictionary<string, string>()) form.Add(new StringContent(v), k);
        fileContent.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(fileContent, "file", fileName);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/bang-chung?assessmentId={assessmentId}&criterion={Uri.EscapeDataString(criterion)}") { Content = form };
        if (token is not null) request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request);
    }

    /// <summary>Every file in the evidence folder (committed and temporary).</summary>
    public IReadOnlyList<string> StoredFiles() =>
        Directory.Exists(StorageRoot) ? Directory.GetFiles(StorageRoot, "*", SearchOption.AllDirectories) : [];

    private static string Token(string html)
    {
        var m = TokenInput().Match(html);
        Assert.True(m.Success, "no antiforgery token in the page");
        return System.Net.WebUtility.HtmlDecode(m.Groups[1].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*?value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Db.DisposeAsync();
        if (Directory.Exists(StorageRoot)) Directory.Delete(StorageRoot, recursive: true);
    }
}
