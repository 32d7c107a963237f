namespace DtiPortal.Application.Audit;

/// <summary>What happened, for the append-only audit trail (issue 3 §4). Times are UTC.</summary>
public sealed record AuditEvent(
    string Action,              // e.g. "SignIn", "SignInFailed", "RoleAdded", "AccessDenied", "Update"
    string? EntityType = null,  // e.g. "AppUser", "AdministrativeUnit"
    string? EntityId = null,
    int? UnitId = null,         // the unit the event concerns (scopes who may read the entry)
    string? Before = null,      // JSON of the values before a change
    string? After = null,       // JSON of the values after it
    string? Detail = null,      // a human-readable note in Vietnamese
    bool Success = true,
    string? UserId = null,      // who; defaults to the current scope's user
    string? UserName = null,
    string? Origin = null);     // from where (IP); defaults to the current scope's origin

/// <summary>Writes audit entries. The application's database role may INSERT into the audit table, never UPDATE or DELETE.</summary>
public interface IAuditLog
{
    Task WriteAsync(AuditEvent e, CancellationToken ct = default);
}
