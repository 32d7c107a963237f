using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application;

public static class ServiceCollectionExtensions
{
    /// <summary>Registers the DbContext factory and every use case. Validators are registered by hand (no FluentValidation DI package here).</summary>
    public static IServiceCollection AddDtiApplication(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<DtiDbContext>(o => Database.Configure(o, connectionString));
        // Identity's stores read the schema version from DI (STACK.md): one registration for web, CLI, tests and dotnet-ef.
        services.AddIdentityCore<AppUser>(IdentitySettings.Apply)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DtiDbContext>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<VietnameseIdentityErrors>();
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<AccessGuard>();
        services.AddScoped<UnitQueries>();
        services.AddScoped<ImportUnits>();
        services.AddScoped<DemoData>();
        return services;
    }
}
