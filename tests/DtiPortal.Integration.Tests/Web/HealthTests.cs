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
    public async Task UnitsPage_IsServedInVietnamese()
    {
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            b.UseSetting("ConnectionStrings:Dti", _db.ConnectionString));
        var html = WebUtility.HtmlDecode(await factory.CreateClient().GetStringAsync("/don-vi"));
        Assert.Contains("<html lang=\"vi\">", html);
        Assert.Contains("Đơn vị hành chính", html);
        Assert.Contains("_framework/blazor.web.js", html);
    }
}
