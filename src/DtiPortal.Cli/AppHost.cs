using DtiPortal.Application;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DtiPortal.Cli;

/// <summary>The services a database command needs, configured like the web app (environment + appsettings).</summary>
internal static class AppHost
{
    /// <param name="scope">Registers the caller's <see cref="IUnitScope"/> (benchmarks act as a user); by default the system's.</param>
    public static ServiceProvider Build(Action<IServiceCollection>? scope = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            // EF logs a failed connection while it checks whether a new database exists; the command reports real failures itself.
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Connection", LogLevel.None));
        // The CLI is a trusted operator tool: it sees every unit (ADR-006). Registered before AddDtiApplication's fail-closed default.
        if (scope is null) services.AddScoped<IUnitScope>(_ => FixedUnitScope.System);
        else scope(services);
        services.AddDtiApplication(Database.ConnectionString(configuration));
        return services.BuildServiceProvider();
    }

    /// <summary>Runs a command body, turning expected failures into a Vietnamese message and exit code 1.</summary>
    public static async Task<int> RunAsync(Func<ServiceProvider, Task<int>> body)
    {
        try
        {
            await using var services = Build();
            return await body(services);
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine("Lỗi: " + ex.Message);
            return 1;
        }
    }
}
