using DtiPortal.Application.Data;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DtiPortal.Integration.Tests.Data;

/// <summary>
/// ADR-002: fails when the EF model and the migrations drift apart. One database is built by the migrations,
/// the other by EnsureCreated() from the current model; their columns, constraints and indexes must match.
/// Only what EF models is compared: roles, grants, RLS policies, functions and triggers come from raw SQL in the
/// migrations (ADR-006) and are checked by the Tenancy and Audit tests instead.
/// </summary>
public class MigrationDriftTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _migrated;

    public MigrationDriftTests(TestDatabase migrated) => _migrated = migrated;

    [Fact]
    public async Task Migrations_WhenAppliedToEmptyDatabase_ProduceTheSameSchemaAsTheModel()
    {
        var modelDbName = "dti_model_" + Guid.NewGuid().ToString("N")[..12];
        var cs = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString) { Database = modelDbName }.ConnectionString;
        try
        {
            await using (var services = TestDatabase.BuildServices(cs))
            // As the owner, like the migrations (ADR-006): the application role may not create databases or tables.
            await using (var db = Database.CreateOwnerContext(services))
            {
                await db.Database.EnsureCreatedAsync();
            }

            var fromMigrations = await SchemaAsync(_migrated.ConnectionString);
            var fromModel = await SchemaAsync(cs);
            Assert.NotEmpty(fromModel);
            Assert.Equal(fromModel, fromMigrations);
        }
        finally
        {
            await TestDatabase.DropAsync(modelDbName);
        }
    }

    [Fact]
    public async Task Migrations_WhenListed_HaveNoPendingModelChanges()
    {
        await using var db = await _migrated.ContextAsync();
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration captures: run scripts/add-migration.sh.");
    }

    private static async Task<List<string>> SchemaAsync(string connectionString)
    {
        const string sql = """
            select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable
                   || ' len=' || coalesce(character_maximum_length::text, '') || ' default=' || coalesce(column_default, '')
              from information_schema.columns where table_schema = 'public' and table_name <> '__ef_migrations'
            union all
            select 'index ' || tablename || ' ' || regexp_replace(indexdef, '^CREATE (UNIQUE )?INDEX \S+ ', 'CREATE \1INDEX ')
              from pg_indexes where schemaname = 'public' and tablename <> '__ef_migrations'
            union all
            select 'constraint ' || tc.table_name || ' ' || tc.constraint_type || ' ' || pg_get_constraintdef(c.oid)
              from information_schema.table_constraints tc
              join pg_constraint c on c.conname = tc.constraint_name
             where tc.table_schema = 'public' and tc.table_name <> '__ef_migrations' and tc.constraint_type <> 'CHECK'
            union all
            select 'row unit_levels ' || code || ' ' || name || ' ' || rank from unit_levels
            order by 1
            """;
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
