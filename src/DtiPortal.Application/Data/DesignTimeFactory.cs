using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Data;

/// <summary>
/// Used only by `dotnet-ef migrations add` ; never at run time. The context comes
/// from the same registrations as at run time, because Identity reads its schema version from DI.
/// </summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DtiDbContext>
{
    public DtiDbContext CreateDbContext(string[] args)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDtiApplication("Host=127.0.0.1;Port=55432;Username=postgres;Database=dti_design");
        return services.BuildServiceProvider().GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContext();
    }
}
