using Microsoft.AspNetCore.Identity;

namespace DtiPortal.Application.Identity;

/// <summary>
/// A person who signs in. Every user belongs to exactly one unit; their scope is that unit's subtree.
/// Roles (<see cref="Roles"/>) apply within that unit; a user may hold several.
/// </summary>
public sealed class AppUser : IdentityUser
{
    public string FullName { get; set; } = "";
    public int UnitId { get; set; }
    /// <summary>The department (phòng/ban) a department officer works in, as named in the criteria set's lead column.</summary>
    public string? Department { get; set; }
    /// <summary>A disabled account cannot sign in, and open sessions lose access at the next re-check (≤ 1 minute).</summary>
    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
