using DtiPortal.Application;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DtiPortal.Integration.Tests.Infrastructure;

/// <summary>
/// A real, empty PostgreSQL database per test class, migrated, dropped afterwards. The server comes from
/// DTI_TEST_PG (default: the local cluster of scripts/pg-start.sh). No fakes: if PostgreSQL is not running,
/// the tests fail and say how to start it.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("DTI_TEST_PG") is { Length: > 0 } cs ? cs : "Host=127.0.0.1;Port=55432;Username=postgres";

    public string Name { get; } = "dti_test_" + Guid.NewGuid().ToString("N")[..12];
    public string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ConnectionString;
    public ServiceProvider Services { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Services = BuildServices(ConnectionString);
        try
        {
            await Database.MigrateAsync(Services);
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at '{ServerConnectionString}'. Run scripts/pg-start.sh or set DTI_TEST_PG. ({ex.Message})", ex);
        }
    }

    public static ServiceProvider BuildServices(string connectionString) => BuildServicesWith(connectionString, _ => { });

    /// <summary>The same services plus the test's own registrations (added last, so they win).</summary>
    public static ServiceProvider BuildServicesWith(string connectionString, Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddDtiApplication(connectionString);
        // The scope a test acts as: ScopeAs(...) sets it for one DI scope; otherwise Nobody (AddDtiApplication's default).
        services.AddScoped<TestUnitScope>();
        services.AddScoped<IUnitScope>(sp => sp.GetRequiredService<TestUnitScope>().Current);
        // Components that tests render (the inbox bell, pages' pieces) use MudBlazor, registered as Program.cs does.
        MudBlazor.Services.ServiceCollectionExtensions.AddMudServices(services);
        MudBlazor.Services.ServiceCollectionExtensions.AddLocalizationInterceptor<DtiPortal.Web.Components.Theme.VietnameseMudLocalization>(services);
        services.AddScoped<Microsoft.JSInterop.IJSRuntime, StaticRenderJSRuntime>();
        configure(services);
        return services.BuildServiceProvider();
    }

    /// <summary>A DI scope acting as the given user scope: its contexts, use cases and audit entries see what that user sees.</summary>
    public AsyncServiceScope ScopeAs(IUnitScope unitScope)
    {
        var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TestUnitScope>().Current = unitScope;
        return scope;
    }

    /// <summary>A context as the tables' owner (no application role, unrestricted, no audit): for arranging and checking data.</summary>
    public DtiDbContext OwnerContext() => Database.CreateOwnerContext(Services);

    public T Get<T>() where T : notnull => Services.CreateScope().ServiceProvider.GetRequiredService<T>();

    /// <summary>A use case resolved in a DI scope acting as the system (CLI, seeding): unrestricted, passes role checks.</summary>
    public T AsSystem<T>() where T : notnull => ScopeAs(FixedUnitScope.System).ServiceProvider.GetRequiredService<T>();

    public async Task<DtiDbContext> ContextAsync() =>
        await Services.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync();

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        await DropAsync(Name);
    }

    public static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(ServerConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>Holds the IUnitScope of one DI scope in tests.</summary>
public sealed class TestUnitScope
{
    public IUnitScope Current { get; set; } = FixedUnitScope.Nobody;
}
