using System.Security.Claims;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;

namespace DtiPortal.Web.Auth;

/// <summary>The IUnitScope of the signed-in user: their unit's subtree; everything for a system administrator.</summary>
public sealed class UserUnitScope(CurrentUser current, UnitHierarchy hierarchy) : IUnitScope
{
    private ClaimsPrincipal User => current.Principal;

    public string? UserId => User.Identity?.IsAuthenticated == true ? User.FindFirstValue(ClaimTypes.NameIdentifier) : null;
    public string? UserName => User.Identity?.IsAuthenticated == true ? User.Identity.Name : null;
    public bool IsUnrestricted => UserId is not null && User.IsInRole(DtiPortal.Application.Identity.Roles.SystemAdmin);
    public IReadOnlySet<int> UnitIds =>
        UserId is not null && int.TryParse(User.FindFirstValue(AppClaims.UnitId), out var unit) ? hierarchy.Subtree(unit) : Empty;
    public IReadOnlySet<string> Roles =>
        UserId is null ? new HashSet<string>() : User.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet();
    public string? Origin => current.Origin;
    public int? HomeUnitId => UserId is not null && int.TryParse(User.FindFirstValue(AppClaims.UnitId), out var unit) ? unit : null;

    private static readonly IReadOnlySet<int> Empty = new HashSet<int>();
}
