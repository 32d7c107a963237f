namespace DtiPortal.Application.Tenancy;

/// <summary>
/// Who is asking, and which units they may see: the subtree of their own unit (ADR-006). Every unit-owned
/// query is filtered by it (EF named query filters) and PostgreSQL row-level security enforces it again.
/// Resolved per DI scope: from the signed-in user in the web app, explicitly in the CLI and tests.
/// </summary>
public interface IUnitScope
{
    /// <summary>The user's id, or null for the system itself (CLI, scheduled jobs) and for anonymous visitors.</summary>
    string? UserId { get; }
    string? UserName { get; }
    /// <summary>True for a system administrator and for trusted system processes: every unit is visible.</summary>
    bool IsUnrestricted { get; }
    /// <summary>The visible units (the user's unit and all below it). Empty when nothing is visible.</summary>
    IReadOnlySet<int> UnitIds { get; }
    IReadOnlySet<string> Roles { get; }
    /// <summary>Where the request came from (IP address), for the audit trail.</summary>
    string? Origin { get; }
    /// <summary>The user's own unit (the root of <see cref="UnitIds"/>); audit entries about no particular unit are filed under it.</summary>
    int? HomeUnitId => null;

    bool CanSee(int unitId) => IsUnrestricted || UnitIds.Contains(unitId);
    bool IsInRole(string role) => Roles.Contains(role);
}

/// <summary>A fixed scope: the CLI and background jobs use <see cref="System"/>; tests build their own.</summary>
public sealed record FixedUnitScope(
    string? UserId, string? UserName, bool IsUnrestricted, IReadOnlySet<int> UnitIds, IReadOnlySet<string> Roles, string? Origin = null,
    int? HomeUnitId = null) : IUnitScope
{
    public static FixedUnitScope System { get; } = new(null, "system", true, new HashSet<int>(), new HashSet<string>(), "local");
    public static FixedUnitScope Nobody { get; } = new(null, null, false, new HashSet<int>(), new HashSet<string>());
}
