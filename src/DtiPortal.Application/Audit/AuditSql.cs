using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace DtiPortal.Application.Audit;

/// <summary>An audit row ready to insert (<see cref="AuditEntry"/> is the read side).</summary>
internal sealed record AuditRow(
    DateTimeOffset At, string? UserId, string? UserName, string? Origin, string Action, string? EntityType, string? EntityId,
    int? UnitId, string? Before, string? After, string? Detail, bool Success);

/// <summary>
/// Inserts audit rows in one statement (unnest of arrays: an import of 10,000 units is one round trip), without
/// RETURNING, on the context's connection and current transaction.
/// </summary>
internal static class AuditSql
{
    private const string Insert = """
        insert into audit_log (at, user_id, user_name, origin, action, entity_type, entity_id, unit_id, before, after, detail, success)
        select at, user_id, user_name, origin, action, entity_type, entity_id, unit_id, before::jsonb, after::jsonb, detail, success
          from unnest(@at, @user_id, @user_name, @origin, @action, @entity_type, @entity_id, @unit_id, @before, @after, @detail, @success)
               as r(at, user_id, user_name, origin, action, entity_type, entity_id, unit_id, before, after, detail, success)
        """;

    public static async Task InsertAsync(DbContext db, IReadOnlyList<AuditRow> rows, bool async, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var parameters = Parameters(rows);
        if (async) await db.Database.ExecuteSqlRawAsync(Insert, parameters, ct);
        else db.Database.ExecuteSqlRaw(Insert, parameters);
    }

    /// <summary>The same insert on a plain connection (tests, tools).</summary>
    public static async Task InsertAsync(DbConnection connection, IReadOnlyList<AuditRow> rows, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = Insert;
        foreach (var p in Parameters(rows)) cmd.Parameters.Add(p);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter[] Parameters(IReadOnlyList<AuditRow> rows) =>
    [
        new("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(r => r.At.UtcDateTime).ToArray() },
        Text("user_id", rows.Select(r => r.UserId)),
        Text("user_name", rows.Select(r => r.UserName)),
        Text("origin", rows.Select(r => r.Origin)),
        Text("action", rows.Select(r => r.Action)),
        Text("entity_type", rows.Select(r => r.EntityType)),
        Text("entity_id", rows.Select(r => r.EntityId)),
        new("unit_id", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = rows.Select(r => r.UnitId).ToArray() },
        Text("before", rows.Select(r => r.Before)),
        Text("after", rows.Select(r => r.After)),
        Text("detail", rows.Select(r => r.Detail)),
        new("success", NpgsqlDbType.Array | NpgsqlDbType.Boolean) { Value = rows.Select(r => r.Success).ToArray() },
    ];

    private static NpgsqlParameter Text(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() };
}
