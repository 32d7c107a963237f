using System.Data.Common;
using DtiPortal.Application.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace DtiPortal.Application.Tenancy;

/// <summary>
/// Each time EF opens a connection for a <see cref="DtiDbContext"/>, switches it to the application role (no
/// BYPASSRLS, not the tables' owner) and writes the context's <see cref="IUnitScope"/> into three session settings
/// that the row-level security policies read (ADR-006): the units in scope, whether the scope is unrestricted, and the
/// signed-in user's id (a user's own inbox, issue 16). Npgsql's pool runs DISCARD ALL when a connection is reused,
/// which resets the role and the settings, so nothing leaks from one user's connection to the next; a connection whose
/// settings are missing sees no unit-owned rows and no inbox at all (fail closed).
/// </summary>
public sealed class TenancyConnectionInterceptor(string? appRole, ILogger<TenancyConnectionInterceptor> logger) : DbConnectionInterceptor
{
    private const string ScopeSql =
        "select set_config('dti.scope_units', @ids, false), set_config('dti.scope_all', @all, false), set_config('dti.scope_user', @user, false)";
    private readonly string? _appRole = string.IsNullOrWhiteSpace(appRole) ? null : appRole.Trim();
    private int _warned;

    /// <summary>The role connections switch to, or null when switching is turned off (Database:AppRole empty).</summary>
    public string? AppRole => _appRole;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        ApplyAsync(connection, ScopeOf(eventData), async: false, CancellationToken.None).GetAwaiter().GetResult();

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        ApplyAsync(connection, ScopeOf(eventData), async: true, cancellationToken);

    private static IUnitScope ScopeOf(ConnectionEndEventData e) => (e.Context as DtiDbContext)?.Scope ?? FixedUnitScope.Nobody;

    /// <summary>Writes the scope into an open connection. Public so tests and raw ADO.NET code can do exactly what EF does.</summary>
    public async Task ApplyAsync(DbConnection connection, IUnitScope scope, bool async, CancellationToken ct)
    {
        var ids = "{" + string.Join(",", scope.IsUnrestricted ? Enumerable.Empty<int>() : scope.UnitIds.Order()) + "}";
        var all = scope.IsUnrestricted ? "true" : "false";
        var user = scope.UserId ?? ""; // empty: no user (the system, an anonymous visitor), whose inbox is nobody's
        if (_appRole is not null)
        {
            try
            {
                await RunAsync(connection, "select set_config('role', @role, false); " + ScopeSql, _appRole, ids, all, user, async, ct);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.InvalidParameterValue)
            {
                // The login may not switch to the role (not a member, or GRANT ... WITH SET FALSE), or the role does not
                // exist yet (a database not migrated). Carry on as the login itself: row-level security still applies to
                // it unless it owns the tables or has BYPASSRLS, which ADR-006 tells operators never to give it.
                if (Interlocked.Exchange(ref _warned, 1) == 0)
                    logger.LogWarning("Cannot SET ROLE {Role} ({Message}); connections run as the login user. See docs/decisions/ADR-006-tenancy.md.",
                        _appRole, ex.MessageText);
            }
        }
        await RunAsync(connection, ScopeSql, null, ids, all, user, async, ct);
    }

    private static async Task RunAsync(DbConnection connection, string sql, string? role, string ids, string all, string user, bool async,
        CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        if (role is not null) Add(cmd, "role", role);
        Add(cmd, "ids", ids);
        Add(cmd, "all", all);
        Add(cmd, "user", user);
        if (async) await cmd.ExecuteNonQueryAsync(ct);
        else cmd.ExecuteNonQuery();
    }

    private static void Add(DbCommand cmd, string name, string value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
