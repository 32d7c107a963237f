using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DtiPortal.Application.Data;

public static class Database
{
    public const string ConnectionStringName = "Dti";

    /// <summary>
    /// The connection string from configuration (ConnectionStrings:Dti, or the environment variable
    /// ConnectionStrings__Dti). Missing → a bilingual start-up error that says what to set.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "Chưa cấu hình chuỗi kết nối cơ sở dữ liệu: đặt ConnectionStrings__Dti (ví dụ Host=127.0.0.1;Port=55432;Username=postgres;Database=dti) " +
                "hoặc chạy scripts/run.sh để tự khởi động PostgreSQL cục bộ. / " +
                "No database connection string: set ConnectionStrings__Dti, or use scripts/run.sh to start a local PostgreSQL.");

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations"));

    /// <summary>
    /// A context that runs as the login itself (the tables' owner), unrestricted, without the application role or the
    /// audit interceptor (ADR-006): for migrations and for tests that set up data. Never for user requests.
    /// </summary>
    public static DtiDbContext CreateOwnerContext(IServiceProvider services)
    {
        var options = new DbContextOptionsBuilder<DtiDbContext>();
        Configure(options, services.GetRequiredService<DatabaseConnection>().ConnectionString);
        options.UseApplicationServiceProvider(services); // Identity reads its schema version from DI
        // No SET ROLE; dti.scope_all = true, so a data migration sees every row even where the owner is subject to FORCEd RLS.
        options.AddInterceptors(new TenancyConnectionInterceptor(appRole: null, NullLogger<TenancyConnectionInterceptor>.Instance));
        return new DtiDbContext(options.Options, FixedUnitScope.System);
    }

    /// <summary>Applies pending migrations (creating the database if needed) as the owner. Safe to run on every start.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("DtiPortal.Migrations");
        await using var db = CreateOwnerContext(services);
        // A fresh database: skip the pending-migrations query (it would log a connection failure) and create it.
        if (!await DatabaseExistsAsync(db.Database.GetConnectionString()!, ct))
        {
            logger.LogInformation("Creating the database and applying all migrations");
            await db.Database.MigrateAsync(ct);
            return;
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count == 0) { logger.LogInformation("Database schema is up to date"); return; }
        logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
        await db.Database.MigrateAsync(ct);
    }

    private static async Task<bool> DatabaseExistsAsync(string connectionString, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var name = builder.Database;
        builder.Database = "postgres";
        await using var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("select 1 from pg_database where datname = @n", conn);
        cmd.Parameters.AddWithValue("n", name ?? "");
        return await cmd.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>Throws a readable error when PostgreSQL cannot be reached (used at start-up).</summary>
    public static async Task EnsureReachableAsync(string connectionString, CancellationToken ct = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Timeout = 5 };
        try
        {
            await using var conn = new NpgsqlConnection(builder.ConnectionString);
            await conn.OpenAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"Không kết nối được PostgreSQL tại {builder.Host}:{builder.Port} ({ex.Message}). Hãy chạy scripts/pg-start.sh hoặc kiểm tra ConnectionStrings__Dti. / " +
                $"Cannot reach PostgreSQL at {builder.Host}:{builder.Port}.", ex);
        }
    }
}

/// <summary>The connection string the application was configured with (registered by AddDtiApplication).</summary>
public sealed record DatabaseConnection(string ConnectionString);
