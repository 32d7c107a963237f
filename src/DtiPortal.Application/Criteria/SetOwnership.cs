using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;

namespace DtiPortal.Application.Criteria;

/// <summary>
/// Who may see and manage which criteria sets (issue 14). A set belongs to the nation (no owner: every province sees and
/// uses it; system admins manage it) or to one province (listed and usable only there; its provincial admins manage it).
/// Published versions stay readable by id to anyone who already uses them (an assessment, a public result): this rule
/// decides what is listed, offered and accepted for a new round.
/// </summary>
public sealed class SetOwnership(IUnitScope scope, UnitHierarchy units)
{
    /// <summary>The province of the signed-in user: their own unit's top ancestor (the unit itself at the top). Null for none.</summary>
    public int? UserProvince
    {
        get
        {
            if (scope.HomeUnitId is not { } home) return null;
            var ancestors = units.AncestorsOf(home);
            return ancestors.Count == 0 ? home : ancestors[^1];
        }
    }

    /// <summary>True when a set with this owner may be listed and used by the current user.</summary>
    public bool CanUse(int? ownerUnitId) =>
        ownerUnitId is null || scope.IsUnrestricted || scope.CanSee(ownerUnitId.Value) || ownerUnitId == UserProvince;

    /// <summary>Whether the user may write drafts and publish versions of a set with this owner.</summary>
    public bool CanManage(int? ownerUnitId) =>
        scope.IsInRole(Roles.SystemAdmin) || (scope.IsUnrestricted && scope.UserId is null)
        || (ownerUnitId is { } owner && scope.IsInRole(Roles.ProvincialAdmin) && scope.CanSee(owner));

    /// <summary>The owner a new draft of the current user gets: their province for a provincial admin, the nation for a system admin.</summary>
    public int? DefaultOwner => scope.IsInRole(Roles.SystemAdmin) || scope.UserId is null ? null : UserProvince;
}
