using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Data;

/// <summary>
/// The one DbContext. Pages never hold it: use cases create one per operation through
/// <see cref="IDbContextFactory{TContext}"/>, because a Blazor circuit lives for minutes.
/// </summary>
public sealed class DtiDbContext(DbContextOptions<DtiDbContext> options) : DbContext(options)
{
    public DbSet<UnitLevel> UnitLevels => Set<UnitLevel>();
    public DbSet<AdministrativeUnit> Units => Set<AdministrativeUnit>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DtiDbContext).Assembly);
    }
}
