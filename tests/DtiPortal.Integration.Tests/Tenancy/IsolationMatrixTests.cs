using System.Reflection;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DtiPortal.Integration.Tests.Tenancy;

/// <summary>
/// ADR-006, the isolation matrix: every unit-owned entity type (found in the EF model) × every role × a user placed
/// at a commune, a district and a province × read, create, update and delete. Rows of units outside the user's scope
/// are invisible and writes to them are refused — with the EF filter on, with it switched off (row-level security
/// alone), and through raw SQL as the application role.
/// </summary>
public class IsolationMatrixTests(TenancyFixture fixture) : IClassFixture<TenancyFixture>
{
    public static TheoryData<string, string, Placement> Cases()
    {
        var data = new TheoryData<string, string, Placement>();
        foreach (var type in TenancyFixture.UnitOwnedEntityTypes())
            foreach (var role in Roles.All)
                foreach (var placement in Enum.GetValues<Placement>())
                    data.Add(type.ClrType.FullName!, role, placement);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public Task UnitOwnedEntity_WhenUserActsOnUnitsOutsideScope_SeesNothingAndIsRefused(string entityType, string role, Placement placement)
    {
        var clr = TenancyFixture.UnitOwnedEntityTypes().Single(t => t.ClrType.FullName == entityType).ClrType;
        Assert.True(UnitOwnedSamples.ByType.TryGetValue(clr, out var sample), $"No sample for {clr.Name}: add one to UnitOwnedSamples.");
        var method = typeof(IsolationMatrixTests).GetMethod(nameof(RunAsync), BindingFlags.NonPublic | BindingFlags.Instance)!.MakeGenericMethod(clr);
        return (Task)method.Invoke(this, [sample, role, placement])!;
    }

    private async Task RunAsync<T>(UnitOwnedSample sample, string role, Placement placement) where T : class, IUnitOwned
    {
        var rows = await SeedAsync<T>(sample); // one row per unit of the tree, as the owner
        var scope = fixture.ScopeFor(role, placement);
        var visible = fixture.AllUnits.Where(scope.CanSee).ToList();
        var hidden = fixture.AllUnits.Except(visible).ToList();
        Assert.Contains(fixture.UnitOf(placement), visible);
        if (role == Roles.SystemAdmin) Assert.Empty(hidden);
        else Assert.NotEmpty(hidden);

        // Read: the filter and RLS agree; with the filter switched off RLS alone hides the same rows.
        await using (var s = fixture.Db.ScopeAs(scope))
        await using (var db = await Factory(s).CreateDbContextAsync())
        {
            Assert.Equal(visible, await db.Set<T>().Select(e => e.UnitId).OrderBy(u => u).ToListAsync());
            Assert.Equal(visible, await db.Set<T>().IgnoreQueryFilters([TenancyFilter.Name]).Select(e => e.UnitId).OrderBy(u => u).ToListAsync());
            Assert.Equal(visible, (await db.Set<T>().IgnoreQueryFilters().ToListAsync()).Select(e => e.UnitId).Order().ToList());
        }

        foreach (var unit in hidden)
        {
            // Create a row for a unit outside the scope: refused by the policy's WITH CHECK.
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                db.Add(sample.Create(unit, 1));
                var ex = await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, Assert.IsType<PostgresException>(ex.InnerException).SqlState);
            }
            // Update and delete a row outside the scope (as if its id had been guessed): no row matches, nothing changes.
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                var row = await OwnerLoadAsync<T>(rows[unit]);
                db.Attach(row);
                sample.Change(row);
                await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
            }
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                db.Remove(await OwnerLoadAsync<T>(rows[unit]));
                await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
            }
        }

        // The same operations inside the scope work (so the refusals above are about scope, not about grants).
        var own = fixture.UnitOf(placement);
        await using (var s = fixture.Db.ScopeAs(scope))
        await using (var db = await Factory(s).CreateDbContextAsync())
        {
            db.Add(sample.Create(own, 1));
            await db.SaveChangesAsync();
            var row = await db.Set<T>().FindAsync(rows[own]) ?? throw new InvalidOperationException("own row not visible");
            sample.Change(row);
            await db.SaveChangesAsync();
            db.Remove(row);
            await db.SaveChangesAsync();
        }

        // As the owner: every row outside the scope is still there, unchanged.
        await using (var owner = fixture.Db.OwnerContext())
        {
            var after = await owner.Set<T>().AsNoTracking().ToListAsync();
            foreach (var unit in hidden)
            {
                var before = await OwnerLoadAsync<T>(rows[unit]);
                var now = after.Single(e => owner.Entry(e).Property("Id").CurrentValue!.Equals(rows[unit]));
                foreach (var p in owner.Model.FindEntityType(typeof(T))!.GetProperties())
                    Assert.Equal(owner.Entry(before).Property(p.Name).CurrentValue, owner.Entry(now).Property(p.Name).CurrentValue);
            }
        }
    }

    public static TheoryData<string, string, Placement> OptionalCases()
    {
        var data = new TheoryData<string, string, Placement>();
        foreach (var type in TenancyFixture.OptionallyUnitOwnedEntityTypes())
            foreach (var role in Roles.All)
                foreach (var placement in Enum.GetValues<Placement>())
                    data.Add(type.ClrType.FullName!, role, placement);
        return data;
    }

    /// <summary>
    /// The same matrix for rows that belong to a unit or to the nation (a criteria draft): a row of a unit is scoped like any
    /// unit-owned row; a national row (no unit) is seen and written only by unrestricted scopes.
    /// </summary>
    [Theory]
    [MemberData(nameof(OptionalCases))]
    public Task OptionallyUnitOwnedEntity_WhenUserActsOutsideScope_SeesNothingAndIsRefused(string entityType, string role, Placement placement)
    {
        var clr = TenancyFixture.OptionallyUnitOwnedEntityTypes().Single(t => t.ClrType.FullName == entityType).ClrType;
        var method = typeof(IsolationMatrixTests).GetMethod(nameof(RunOptionalAsync), BindingFlags.NonPublic | BindingFlags.Instance)!.MakeGenericMethod(clr);
        return (Task)method.Invoke(this, [UnitOwnedSamples.Optional[clr], role, placement])!;
    }

    private async Task RunOptionalAsync<T>(OptionallyUnitOwnedSample sample, string role, Placement placement) where T : class, IOptionallyUnitOwned
    {
        var owners = fixture.AllUnits.Select(u => (int?)u).Append(null).ToList();
        const int national = -1; // the key of the row without a unit
        Dictionary<int, object> rows;
        await using (var owner = fixture.Db.OwnerContext())
        {
            await owner.Set<T>().ExecuteDeleteAsync();
            var made = owners.Select(u => (Unit: u, Row: (T)sample.Create(u))).ToList();
            owner.AddRange(made.Select(m => m.Row));
            await owner.SaveChangesAsync();
            rows = made.ToDictionary(m => m.Unit ?? national, m => owner.Entry(m.Row).Property("Id").CurrentValue!);
        }
        var scope = fixture.ScopeFor(role, placement);
        var visible = owners.Where(u => u is { } id ? scope.CanSee(id) : scope.IsUnrestricted).ToList();
        var hidden = owners.Except(visible).ToList();
        Assert.NotEmpty(visible);
        if (role != Roles.SystemAdmin) Assert.Contains(null, hidden);

        await using (var s = fixture.Db.ScopeAs(scope))
        await using (var db = await Factory(s).CreateDbContextAsync())
        {
            Assert.Equal(visible.Order(), (await db.Set<T>().Select(e => e.UnitId).ToListAsync()).Order());
            Assert.Equal(visible.Order(), (await db.Set<T>().IgnoreQueryFilters().Select(e => e.UnitId).ToListAsync()).Order());
        }
        foreach (var unit in hidden)
        {
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                db.Add(sample.Create(unit));
                var ex = await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync());
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, Assert.IsType<PostgresException>(ex.InnerException).SqlState);
            }
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                var row = await OwnerLoadAsync<T>(rows[unit ?? national]);
                db.Attach(row);
                sample.Change(row);
                await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
            }
            await using (var s = fixture.Db.ScopeAs(scope))
            await using (var db = await Factory(s).CreateDbContextAsync())
            {
                db.Remove(await OwnerLoadAsync<T>(rows[unit ?? national]));
                await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => db.SaveChangesAsync());
            }
        }
        // Inside the scope the same operations work.
        var own = visible[0];
        await using (var s = fixture.Db.ScopeAs(scope))
        await using (var db = await Factory(s).CreateDbContextAsync())
        {
            db.Add(sample.Create(own));
            await db.SaveChangesAsync();
            var row = await db.Set<T>().FindAsync(rows[own ?? national]) ?? throw new InvalidOperationException("own row not visible");
            sample.Change(row);
            await db.SaveChangesAsync();
            db.Remove(row);
            await db.SaveChangesAsync();
        }
        await using (var owner = fixture.Db.OwnerContext())
            foreach (var unit in hidden)
                Assert.NotNull(await owner.Set<T>().FindAsync(rows[unit ?? national]));
    }

    [Fact]
    public async Task RawSql_AsAppRoleWithoutScope_SeesNoUnitOwnedRows()
    {
        foreach (var type in TenancyFixture.UnitOwnedEntityTypes())
        {
            var sample = UnitOwnedSamples.ByType[type.ClrType];
            var method = typeof(IsolationMatrixTests).GetMethod(nameof(SeedAsync), BindingFlags.NonPublic | BindingFlags.Instance)!.MakeGenericMethod(type.ClrType);
            await (Task)method.Invoke(this, [sample])!;
            var table = type.GetTableName()!;

            await using var conn = new NpgsqlConnection(fixture.Db.ConnectionString);
            await conn.OpenAsync();
            Assert.Equal((long)fixture.AllUnits.Count, await ScalarAsync(conn, $"select count(*) from {table}")); // the owner sees them all
            await ScalarAsync(conn, "set role dti_app");
            Assert.Equal(0L, await ScalarAsync(conn, $"select count(*) from {table}"));
            // A malformed or empty scope is no scope either.
            await ScalarAsync(conn, "select set_config('dti.scope_units', '', false), set_config('dti.scope_all', 'yes', false)");
            Assert.Equal(0L, await ScalarAsync(conn, $"select count(*) from {table}"));
            // With one unit in scope, exactly that unit's row.
            await ScalarAsync(conn, $"select set_config('dti.scope_units', '{{{fixture.Units["B1a"]}}}', false)");
            Assert.Equal(1L, await ScalarAsync(conn, $"select count(*) from {table}"));
            // Writing outside the scope through SQL is refused too.
            var ex = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(conn, $"update {table} set unit_id = {fixture.Units["A"]} where unit_id = {fixture.Units["B1a"]}"));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, ex.SqlState);
        }
    }

    private static IDbContextFactory<DtiDbContext> Factory(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>();

    private static async Task<object?> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>Replaces every row of T by one per unit of the tree (variant 0), as the owner. Returns unit → row id.</summary>
    private async Task<Dictionary<int, object>> SeedAsync<T>(UnitOwnedSample sample) where T : class, IUnitOwned
    {
        await using var owner = fixture.Db.OwnerContext();
        await owner.Set<T>().ExecuteDeleteAsync();
        var rows = fixture.AllUnits.ToDictionary(u => u, u => (T)sample.Create(u, 0));
        owner.AddRange(rows.Values);
        await owner.SaveChangesAsync();
        return rows.ToDictionary(r => r.Key, r => owner.Entry(r.Value).Property("Id").CurrentValue!);
    }

    private async Task<T> OwnerLoadAsync<T>(object id) where T : class
    {
        await using var owner = fixture.Db.OwnerContext();
        return await owner.Set<T>().FindAsync(id) ?? throw new InvalidOperationException($"row {id} is gone");
    }
}
