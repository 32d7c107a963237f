using DtiPortal.Application.Criteria;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Units;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Criteria.Studio;

/// <summary>
/// A migrated database with two provinces — P › district P1 › communes P1a, P1b and Q › commune Q1a — and the built-in
/// hung-yen-commune-2024 stored as a national set; scopes built the way the web app builds them.
/// </summary>
public sealed class StudioFixture : IAsyncLifetime
{
    public const string BuiltInId = "hung-yen-commune-2024";
    public TestDatabase Db { get; } = new();
    public Dictionary<string, int> Units { get; } = [];

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        await using (var db = Db.OwnerContext())
        {
            async Task Add(string code, UnitKind kind, string? parent)
            {
                var unit = new AdministrativeUnit(code, "Đơn vị " + code, kind, kind.LevelCode(), parent is null ? null : Units[parent]);
                db.Units.Add(unit);
                await db.SaveChangesAsync();
                Units[code] = unit.Id;
            }
            await Add("P", UnitKind.Tinh, null);
            await Add("P1", UnitKind.Huyen, "P");
            await Add("P1a", UnitKind.Xa, "P1");
            await Add("P1b", UnitKind.Xa, "P1");
            await Add("Q", UnitKind.Tinh, null);
            await Add("Q1a", UnitKind.Xa, "Q");
        }
        var outcome = await Db.AsSystem<LoadCriteriaSet>().HandleAsync(BuiltInLibraries.ReadText(BuiltInId)!, null, isBuiltIn: true);
        Assert.True(outcome.Succeeded, outcome.Message);
    }

    public Task DisposeAsync() => Db.DisposeAsync();

    public IUnitScope Scope(string role, string unit)
    {
        var hierarchy = Db.Services.GetRequiredService<UnitHierarchy>();
        hierarchy.Invalidate();
        var id = Units[unit];
        return new FixedUnitScope($"{role}-{unit}", $"{role.ToLowerInvariant()}.{unit.ToLowerInvariant()}", role == Roles.SystemAdmin,
            role == Roles.SystemAdmin ? new HashSet<int>() : hierarchy.Subtree(id), new HashSet<string> { role }, "127.0.0.1", HomeUnitId: id);
    }

    public IUnitScope AdminP => Scope(Roles.ProvincialAdmin, "P");
    public IUnitScope AdminQ => Scope(Roles.ProvincialAdmin, "Q");
    public IUnitScope OfficerP1a => Scope(Roles.CommuneOfficer, "P1a");
    public IUnitScope OfficerQ1a => Scope(Roles.CommuneOfficer, "Q1a");
    public IUnitScope SystemAdmin => Scope(Roles.SystemAdmin, "P");

    /// <summary>A use case resolved in a DI scope acting as <paramref name="scope"/> (dispose the returned scope with the test).</summary>
    public T As<T>(IUnitScope scope) where T : notnull => Db.ScopeAs(scope).ServiceProvider.GetRequiredService<T>();
}
