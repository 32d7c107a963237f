using System.Net;
using DtiPortal.Application;
using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DtiPortal.E2E.Infrastructure;

/// <summary>
/// The real web app on Kestrel (loopback, random port), with its own migrated PostgreSQL database and demo data.
/// Each browser test class gets one; disposing it stops the server and drops the database.
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private WebApplicationFactory<Program>? _factory;

    public string DatabaseName { get; } = "dti_e2e_" + Guid.NewGuid().ToString("N")[..12];
    public string BaseUrl { get; private set; } = "";

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("DTI_TEST_PG") is { Length: > 0 } cs ? cs : "Host=127.0.0.1;Port=55432;Username=postgres";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = DatabaseName }.ConnectionString;

    /// <summary>The running app's services (to change data behind an open page, as another user would).</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The server is stopped.");

    public static async Task<AppServer> StartAsync(IDictionary<string, string>? settings = null)
    {
        var server = new AppServer();
        await server.SeedAsync();
        server._factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Notifications:IntervalSeconds", "0"); // no background reminders/e-mails under browser tests unless a test asks (docs/notifications.md)
            b.UseSetting("Reports:IntervalSeconds", "0"); // no report worker either, unless a test asks (Reports/ReportsPageTests: 1 s)
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) b.UseSetting(key, value);
            b.UseEnvironment("Development");
            // Keep CI output readable: the app's request logs are not what a failing browser test needs.
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            // Graceful shutdown would wait 30 s for open circuits; tests that stop the server want it gone now.
            b.UseShutdownTimeout(TimeSpan.FromSeconds(1));
            b.UseSetting("ConnectionStrings:Dti", server.ConnectionString);
        });
        server._factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        server._factory.StartServer();
        var addresses = server._factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        server.BaseUrl = addresses.Addresses.First().TrimEnd('/');
        return server;
    }

    private async Task SeedAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddDtiApplication(ConnectionString);
        services.AddScoped<DtiPortal.Application.Tenancy.IUnitScope>(_ => DtiPortal.Application.Tenancy.FixedUnitScope.System);
        await using var sp = services.BuildServiceProvider();
        await Database.MigrateAsync(sp);
        using var scope = sp.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
    }

    /// <summary>Stops the server under any open page (the browser keeps its page and starts reconnecting).</summary>
    public async Task StopAsync()
    {
        if (_factory is null) return;
        await _factory.DisposeAsync();
        _factory = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{DatabaseName}\" with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
