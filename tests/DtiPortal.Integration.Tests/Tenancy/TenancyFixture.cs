using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Units;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Tenancy;

public enum Placement { Commune, District, Province }

/// <summary>
/// A migrated database with a small tree, created as the owner:
/// province A › district A1 › communes A1a, A1b; province A › district A2 › commune A2a; province B › district B1 › commune B1a.
/// Users are placed at A1a (commune), A1 (district) or A (province): each of them has units outside their scope.
/// </summary>
public sealed class TenancyFixture : IAsyncLifetime
{
    public TestDatabase Db { get; } = new();
    public Dictionary<string, int> Units { get; } = [];
    public IReadOnlyList<int> AllUnits => [.. Units.Values.Order()];

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        await using var db = Db.OwnerContext();
        async Task<int> Add(string code, UnitKind kind, string? parent)
        {
            var unit = new AdministrativeUnit(code, "Đơn vị " + code, kind, kind.LevelCode(), parent is null ? null : Units[parent]);
            db.Units.Add(unit);
            await db.SaveChangesAsync();
            return Units[code] = unit.Id;
        }
        await Add("A", UnitKind.Tinh, null);
        await Add("A1", UnitKind.Huyen, "A");
        await Add("A1a", UnitKind.Xa, "A1");
        await Add("A1b", UnitKind.Xa, "A1");
        await Add("A2", UnitKind.Huyen, "A");
        await Add("A2a", UnitKind.Xa, "A2");
        await Add("B", UnitKind.Tinh, null);
        await Add("B1", UnitKind.Huyen, "B");
        await Add("B1a", UnitKind.Xa, "B1");
    }

    public Task DisposeAsync() => Db.DisposeAsync();

    public int UnitOf(Placement placement) => Units[placement switch { Placement.Commune => "A1a", Placement.District => "A1", _ => "A" }];

    /// <summary>The scope of a user with this role at this place, built the way the web app builds it (the unit's subtree; system admins unrestricted).</summary>
    public IUnitScope ScopeFor(string role, Placement placement)
    {
        var hierarchy = Db.Services.GetRequiredService<UnitHierarchy>();
        hierarchy.Invalidate();
        var unit = UnitOf(placement);
        return new FixedUnitScope("user-" + role, $"{role}@{placement}", role == Roles.SystemAdmin, hierarchy.Subtree(unit),
            new HashSet<string> { role }, "127.0.0.1");
    }

    /// <summary>Every entity type that implements IUnitOwned, from the EF model (so a new one is found without a list).</summary>
    public static IReadOnlyList<IEntityType> UnitOwnedEntityTypes()
    {
        using var services = TestDatabase.BuildServices("Host=127.0.0.1;Database=model_only");
        using var db = services.CreateScope().ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContext();
        return [.. db.Model.GetEntityTypes().Where(t => typeof(IUnitOwned).IsAssignableFrom(t.ClrType)).OrderBy(t => t.ClrType.Name)];
    }

    /// <summary>Every entity type that belongs to a unit or to the nation (<see cref="IOptionallyUnitOwned"/>), from the EF model.</summary>
    public static IReadOnlyList<IEntityType> OptionallyUnitOwnedEntityTypes()
    {
        using var services = TestDatabase.BuildServices("Host=127.0.0.1;Database=model_only");
        using var db = services.CreateScope().ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContext();
        return [.. db.Model.GetEntityTypes().Where(t => typeof(IOptionallyUnitOwned).IsAssignableFrom(t.ClrType)).OrderBy(t => t.ClrType.Name)];
    }
}
