using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace DtiPortal.Integration.Tests.Tenancy;

/// <summary>
/// ADR-006: a unit-owned entity cannot be added without its named filter, its RLS policy or a sample for the
/// isolation matrix; the application role can never bypass RLS; the pool never hands a scope to the next user.
/// </summary>
public class TenancyCoverageTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public void UnitOwnedEntityTypes_WhenModelIsBuilt_AreFound()
    {
        Assert.Contains(TenancyFixture.UnitOwnedEntityTypes(), t => t.ClrType == typeof(Application.Units.UnitContact));
    }

    [Fact]
    public void UnitOwnedEntityTypes_Each_HaveTheNamedTenancyFilter()
    {
        foreach (var type in TenancyFixture.UnitOwnedEntityTypes())
        {
            var filter = type.FindDeclaredQueryFilter(TenancyFilter.Name);
            Assert.True(filter?.Expression is not null, $"{type.ClrType.Name} is IUnitOwned but has no query filter named '{TenancyFilter.Name}'.");
        }
    }

    [Fact]
    public void UnitOwnedEntityTypes_Each_HaveASampleForTheIsolationMatrix()
    {
        foreach (var type in TenancyFixture.UnitOwnedEntityTypes())
            Assert.True(UnitOwnedSamples.ByType.ContainsKey(type.ClrType),
                $"{type.ClrType.Name} is IUnitOwned but has no sample in UnitOwnedSamples: the isolation matrix cannot cover it.");
    }

    [Fact]
    public void OptionallyUnitOwnedEntityTypes_Each_HaveTheNamedTenancyFilterAndASample()
    {
        Assert.NotEmpty(TenancyFixture.OptionallyUnitOwnedEntityTypes());
        foreach (var type in TenancyFixture.OptionallyUnitOwnedEntityTypes())
        {
            Assert.True(type.FindDeclaredQueryFilter(TenancyFilter.Name)?.Expression is not null, $"{type.ClrType.Name} has no query filter named '{TenancyFilter.Name}'.");
            Assert.True(UnitOwnedSamples.Optional.ContainsKey(type.ClrType), $"{type.ClrType.Name} has no sample in UnitOwnedSamples.Optional.");
        }
    }

    [Fact]
    public async Task UnitOwnedTables_Each_HaveForcedRowLevelSecurityWithTheScopePolicy()
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        foreach (var type in TenancyFixture.UnitOwnedEntityTypes().Concat(TenancyFixture.OptionallyUnitOwnedEntityTypes()))
        {
            var table = type.GetTableName()!;
            await using var cmd = new NpgsqlCommand("""
                select c.relrowsecurity, c.relforcerowsecurity,
                       (select count(*) from pg_policies p
                         where p.schemaname = 'public' and p.tablename = c.relname and p.cmd = 'ALL'
                           and p.qual like '%dti_scope_units()%' and p.qual like '%dti_scope_unrestricted()%'
                           and p.with_check like '%dti_scope_units()%')
                  from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relname = @t
                """, conn);
            cmd.Parameters.AddWithValue("t", table);
            await using var r = await cmd.ExecuteReaderAsync();
            Assert.True(await r.ReadAsync(), $"Table {table} of {type.ClrType.Name} does not exist.");
            Assert.True(r.GetBoolean(0), $"{table}: row-level security is not enabled (add TenancySql.EnableRowLevelSecurity to its migration).");
            Assert.True(r.GetBoolean(1), $"{table}: row-level security is not forced.");
            Assert.True(r.GetInt64(2) >= 1, $"{table}: no policy on unit_id = ANY(dti_scope_units()) OR dti_scope_unrestricted().");
        }
    }

    /// <summary>
    /// Tables the application reads under no row-level security, each with the reason (ADR-006). A new table fails
    /// <see cref="EveryTable_HasForcedRowLevelSecurity_UnlessListedAsSharedWithAReason"/> until it has a policy or a line here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SharedTables = new Dictionary<string, string>
    {
        ["units"] = "the administrative tree: reference data every scope walks (names, parents, ancestors)",
        ["unit_levels"] = "reference data",
        ["unit_predecessors"] = "reference data: which units were merged into which",
        ["criteria_set_versions"] = "published criteria are shared: an assessment reads the version it used whoever asks (SetOwnership decides what is offered)",
        ["assessment_rounds"] = "a round's name, deadlines and province are shown to every unit of the province; what hangs off it carries the policies",
        ["data_protection_keys"] = "the web app's cookie key ring, read before anyone signs in",
        ["__ef_migrations"] = "the migration history: dti_app may only read it",
        ["AspNetUsers"] = "sign-in finds a user before any scope exists; UserAdminPolicy checks scope (ADR-006, password hashes)",
        ["AspNetRoles"] = "Identity",
        ["AspNetUserRoles"] = "Identity: read with the user",
        ["AspNetUserClaims"] = "Identity: read with the user",
        ["AspNetUserLogins"] = "Identity: read with the user",
        ["AspNetUserTokens"] = "Identity: read with the user",
        ["AspNetRoleClaims"] = "Identity",
        ["AspNetUserPasskeys"] = "Identity: read with the user",
    };

    [Fact]
    public async Task EveryTable_HasForcedRowLevelSecurity_UnlessListedAsSharedWithAReason()
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select c.relname, c.relrowsecurity and c.relforcerowsecurity,
                   (select count(*) from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname)
              from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relkind in ('r', 'p')
             order by 1
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var unprotected = new List<string>();
        var tables = new List<string>();
        while (await r.ReadAsync())
        {
            var (table, forced, policies) = (r.GetString(0), r.GetBoolean(1), r.GetInt64(2));
            tables.Add(table);
            if (SharedTables.ContainsKey(table)) Assert.False(forced, $"{table} is listed as shared but has row-level security: take it off the list.");
            else if (!forced || policies == 0) unprotected.Add(table);
        }
        Assert.Empty(unprotected); // each needs a policy in its migration (TenancySql) or a reasoned line in SharedTables
        Assert.Contains("notifications", tables);
        Assert.Contains("units", tables);
    }

    [Fact]
    public async Task AuditLog_HasReadPolicyByScope_AndAppendOnlyGrants()
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select c.relrowsecurity and c.relforcerowsecurity,
                   exists (select 1 from pg_policies where tablename = 'audit_log' and cmd = 'SELECT' and qual like '%dti_scope_units()%'),
                   has_table_privilege('dti_app', 'audit_log', 'INSERT'), has_table_privilege('dti_app', 'audit_log', 'SELECT'),
                   has_table_privilege('dti_app', 'audit_log', 'UPDATE'), has_table_privilege('dti_app', 'audit_log', 'DELETE'),
                   has_table_privilege('dti_app', 'audit_log', 'TRUNCATE')
              from pg_class c where c.relname = 'audit_log'
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.True(r.GetBoolean(0));
        Assert.True(r.GetBoolean(1));
        Assert.True(r.GetBoolean(2));
        Assert.True(r.GetBoolean(3));
        Assert.False(r.GetBoolean(4));
        Assert.False(r.GetBoolean(5));
        Assert.False(r.GetBoolean(6));
    }

    [Fact]
    public async Task AppRole_WhenMigrated_IsNotOwnerAndCannotBypassRowLevelSecurity()
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand("select rolsuper, rolbypassrls, rolcanlogin, rolcreaterole, rolcreatedb from pg_roles where rolname = 'dti_app'", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await r.ReadAsync(), "Role dti_app does not exist.");
            Assert.False(r.GetBoolean(0), "dti_app must not be a superuser.");
            Assert.False(r.GetBoolean(1), "dti_app must not have BYPASSRLS.");
            Assert.False(r.GetBoolean(2), "dti_app is NOLOGIN: logins are granted it (ADR-006).");
            Assert.False(r.GetBoolean(3));
            Assert.False(r.GetBoolean(4));
        }
        await using (var cmd = new NpgsqlCommand("""
            select count(*) from pg_tables where schemaname = 'public' and tableowner = 'dti_app'
            union all
            select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and pg_has_role('dti_app', c.relowner, 'MEMBER')
            union all
            select count(*) from pg_auth_members m join pg_roles r on r.oid = m.roleid where m.member = 'dti_app'::regrole
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await r.ReadAsync()); Assert.Equal(0L, r.GetInt64(0)); // owns no table
            Assert.True(await r.ReadAsync()); Assert.Equal(0L, r.GetInt64(0)); // not a member of any owner's role
            Assert.True(await r.ReadAsync()); Assert.Equal(0L, r.GetInt64(0)); // member of no role at all
        }
    }

    [Fact]
    public async Task Context_WhenConnectionOpens_RunsAsAppRoleWithTheScope()
    {
        var scope = new FixedUnitScope("u1", "xa", false, new HashSet<int> { 7, 3 }, new HashSet<string>());
        await using var s = db.ScopeAs(scope);
        await using var ctx = await s.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync();
        var row = await ctx.Database.SqlQueryRaw<SessionRow>(
            "select current_user::text as \"User\", current_setting('dti.scope_units', true) as \"Units\", current_setting('dti.scope_all', true) as \"All\"").SingleAsync();
        Assert.Equal(new SessionRow("dti_app", "{3,7}", "false"), row);
    }

    [Fact]
    public async Task Pool_WhenConnectionIsReused_HasNoRoleOrScopeLeftFromThePreviousUser()
    {
        // One pooled connection only, so the raw connection below is the very one EF used.
        var cs = new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1, ApplicationName = "pool-reset-test" }.ConnectionString;
        await using var services = TestDatabase.BuildServices(cs);
        await using (var s = services.CreateAsyncScope())
        {
            s.ServiceProvider.GetRequiredService<TestUnitScope>().Current = FixedUnitScope.System;
            await using var ctx = await s.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync();
            var during = await ctx.Database.SqlQueryRaw<SessionRow>(
                "select current_user::text as \"User\", current_setting('dti.scope_units', true) as \"Units\", current_setting('dti.scope_all', true) as \"All\"").SingleAsync();
            Assert.Equal(new SessionRow("dti_app", "{}", "true"), during);
        }
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select current_user::text, coalesce(current_setting('dti.scope_units', true), ''), coalesce(current_setting('dti.scope_all', true), ''), pg_backend_pid()", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.Equal("postgres", r.GetString(0));
        Assert.Equal("", r.GetString(1));
        Assert.Equal("", r.GetString(2));
    }

    [Fact]
    public async Task Context_WhenAppRoleCannotBeSet_CarriesOnAsTheLogin()
    {
        var cs = db.ConnectionString;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<Microsoft.Extensions.Configuration.IConfiguration>(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:AppRole"] = "dti_role_that_does_not_exist" }).Build());
        Application.ServiceCollectionExtensions.AddDtiApplication(services, cs);
        await using var sp = services.BuildServiceProvider();
        await using var s = sp.CreateAsyncScope();
        await using var ctx = await s.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await ctx.UnitContacts.CountAsync()); // the default scope (Nobody) still applies
        var user = await ctx.Database.SqlQueryRaw<string>("select current_user::text as \"Value\"").SingleAsync();
        Assert.Equal("postgres", user);
    }

    public sealed record SessionRow(string User, string? Units, string? All);
}
