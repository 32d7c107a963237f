using System.Net;
using System.Text.Json;
using DtiPortal.Integration.Tests.Infrastructure;
using DtiPortal.Web.Deployment;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace DtiPortal.Integration.Tests.Deployment;

/// <summary>Issue 8: /health/live (the process) and /health/ready (database, evidence store, not shutting down).</summary>
public class InstanceHealthTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private WebApplicationFactory<Program> Host(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Dti", db.ConnectionString);
            b.UseSetting("Notifications:IntervalSeconds", "0");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
        });

    [Fact]
    public async Task Ready_WithDatabaseAndEvidenceStore_Is200_AndNamesTheInstance()
    {
        var evidence = Directory.CreateTempSubdirectory("dti-health-").FullName;
        await using var host = Host(("Instance:Name", "app-a"), ("Evidence:Directory", evidence));
        var client = host.CreateClient();
        var ready = await client.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("app-a", body.GetProperty("instance").GetString());
        Assert.Equal("app-a", ready.Headers.GetValues("X-Dti-Instance").Single());
        foreach (var check in new[] { "database", "evidence", "lifetime" })
            Assert.Equal("Healthy", body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        Assert.Empty(Directory.GetFiles(evidence, "*", SearchOption.AllDirectories)); // the probe file is removed

        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("app-a", JsonDocument.Parse(await live.Content.ReadAsStringAsync()).RootElement.GetProperty("instance").GetString());
        // /health is unchanged: the database only.
        var health = JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement;
        Assert.Equal(["database"], health.GetProperty("checks").EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task WithoutDatabase_LiveIs200_ButReadyIs503()
    {
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Dti", "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2");
            b.UseSetting("Database:MigrateOnStartup", "false");
            b.UseSetting("Notifications:IntervalSeconds", "0");
        });
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Ready_WhenTheEvidenceStoreCannotBeWritten_Is503()
    {
        var file = Path.GetTempFileName(); // a file where the folder should be
        await using var host = Host(("Evidence:Directory", file));
        var response = await host.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("minh chứng", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ShutdownCheck_TurnsUnhealthyAsSoonAsTheHostStartsStopping()
    {
        var lifetime = new Lifetime();
        var check = new ShutdownHealthCheck(lifetime);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        lifetime.StopApplication();
        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => _stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => _stopping.Cancel();
    }
}
