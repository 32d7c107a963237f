using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DtiPortal.Application.Data;

#if EF_DESIGN
/// <summary>Used only by `dotnet-ef migrations add` (built with -p:EfDesign=true); never at run time.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<DtiDbContext>
{
    public DtiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<DtiDbContext>()
            .UseNpgsql("Host=127.0.0.1;Port=55432;Username=postgres;Database=dti_design")
            .Options);
}
#endif
