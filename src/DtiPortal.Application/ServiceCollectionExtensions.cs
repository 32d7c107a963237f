using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the DbContext factory and every use case. Validators are registered by hand (no FluentValidation DI package here).</summary>
    public static IServiceCollection AddDtiApplication(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<DtiDbContext>(o => Database.Configure(o, connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<UnitQueries>();
        services.AddScoped<ImportUnits>();
        services.AddScoped<DemoData>();
        return services;
    }
}
