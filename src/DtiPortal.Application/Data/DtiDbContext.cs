using DtiPortal.Application.Identity;
using DtiPortal.Domain.Units;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Data;

/// <summary>
/// The one DbContext. Pages never hold it: use cases create one per operation through
/// <see cref="IDbContextFactory{TContext}"/>, because a Blazor circuit lives for minutes.
/// </summary>
public sealed class DtiDbContext(DbContextOptions<DtiDbContext> options) : IdentityDbContext<AppUser>(options)
{
    public DbSet<UnitLevel> UnitLevels => Set<UnitLevel>();
    public DbSet<AdministrativeUnit> Units => Set<AdministrativeUnit>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder); // Identity's tables
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DtiDbContext).Assembly);
    }
}
