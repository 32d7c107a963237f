using Npgsql;

namespace DtiPortal.Web.Deployment;

/// <summary>
/// One instance at a time runs the start-up work (migrations, built-in sets, demo data, the first data-protection key):
/// a PostgreSQL session advisory lock taken on the server's maintenance database ("postgres"), which exists before the
/// application database does. Other instances wait for it, then find the work done. The key includes the application
/// database's name, so apps of other databases on the same server (tests, a staging copy) do not wait for each other.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>"DTIS" in ASCII, then 32 bits of the database name's SHA-256.</summary>
    public static long KeyFor(string? database) =>
        (0x4454_4953L << 32) | System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(database ?? "")));
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private StartupLock(NpgsqlConnection connection, long key) => (_connection, _key) = (connection, key);

    public static async Task<StartupLock> AcquireAsync(string connectionString, ILogger logger, CancellationToken ct = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var key = KeyFor(builder.Database);
        builder.Database = "postgres";
        builder.Pooling = false;
        var conn = new NpgsqlConnection(builder.ConnectionString);
        await conn.OpenAsync(ct);
        await using (var tryCmd = new NpgsqlCommand("select pg_try_advisory_lock(@k)", conn))
        {
            tryCmd.Parameters.AddWithValue("k", key);
            if (await tryCmd.ExecuteScalarAsync(ct) is true) return new StartupLock(conn, key);
        }
        logger.LogInformation("Another instance is running the start-up work (migrations); waiting for it");
        await using (var cmd = new NpgsqlCommand("select pg_advisory_lock(@k)", conn) { CommandTimeout = 0 })
        {
            cmd.Parameters.AddWithValue("k", key);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return new StartupLock(conn, key);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var cmd = new NpgsqlCommand("select pg_advisory_unlock(@k)", _connection);
            cmd.Parameters.AddWithValue("k", _key);
            await cmd.ExecuteNonQueryAsync();
        }
        finally { await _connection.DisposeAsync(); } // closing the session releases it in any case
    }
}
