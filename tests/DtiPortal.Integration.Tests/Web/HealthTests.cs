using System.Net;
using WebUtility = System.Net.WebUtility;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DtiPortal.Integration.Tests.Web;

public class HealthTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _db;

    public HealthTests(TestDatabase db) => _db = db;

    [Fact]
    public async Task Health_WhenDatabaseIsUp_ReportsHealthy()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("ConnectionStrings:Dti", _db.ConnectionString));
        var response = await factory.CreateClient().GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", body);
        Assert.Contains("Cơ sở dữ liệu sẵn sàng", body);
    }

    [Fact]
    public async Task Health_WhenDatabaseIsDown_Reports503()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Dti", "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");
            b.UseSetting("Database:MigrateOnStartup", "false");
        });
        var response = await factory.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Unhealthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ProtectedPage_WhenAnonymous_RedirectsToVietnameseSignIn()
    {
        await using var factory = Factory();
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/don-vi");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dang-nhap", response.Headers.Location!.AbsolutePath);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/dang-nhap"));
        Assert.Contains("<html lang=\"vi\">", html);
        Assert.Contains("Tên đăng nhập", html);
        Assert.Contains("_framework/blazor.web.js", html);
    }

    [Fact]
    public async Task Responses_CarryContentSecurityPolicyAndFrameAncestors()
    {
        await using var factory = Factory();
        var response = await factory.CreateClient().GetAsync("/dang-nhap");
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task BlazorHub_FromAnotherOrigin_IsRefused()
    {
        await using var factory = Factory();
        var client = factory.CreateClient();
        var foreign = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(foreign)).StatusCode);

        var own = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        Assert.NotEqual(HttpStatusCode.Forbidden, (await client.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task SignInForm_WithoutAntiforgeryToken_IsRejected()
    {
        await using var factory = Factory();
        var response = await factory.CreateClient().PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.UserName"] = "xa.lacdao", ["Input.Password"] = "x",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private WebApplicationFactory<Program> Factory() =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("ConnectionStrings:Dti", _db.ConnectionString));
}
