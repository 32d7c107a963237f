using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Reviews;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// Who the current user is in the review workflow, and what they may do with one assessment. Scope (the assessment's
/// unit must be in the user's subtree: the district reviewer's district, the council's province) is enforced by
/// <see cref="AssessmentAccess.LoadAsync"/> (tenancy filter, RLS, then the guard); roles and states by the Domain's table.
/// One instance per DI scope.
/// </summary>
public sealed class ReviewAccess(AssessmentAccess access, AccessGuard guard)
{
    private static readonly string[] CouncilRoles = [Identity.Roles.CouncilMember, Identity.Roles.CouncilChair, Identity.Roles.CouncilSecretary];
    private static readonly string[] UnitRoles = [Identity.Roles.CommuneOfficer, Identity.Roles.DepartmentOfficer];

    public IUnitScope Scope => access.Scope;
    public AccessGuard Guard => guard;

    /// <summary>A trusted process (CLI, jobs, tests as the system) acts with every role.</summary>
    public bool IsSystem => Scope.IsUnrestricted && Scope.UserId is null;

    public IReadOnlyCollection<string> Roles => IsSystem ? Identity.Roles.All : Scope.Roles;

    public bool Has(string role) => IsSystem || Scope.IsInRole(role);
    public bool IsDistrictReviewer => Has(Identity.Roles.DistrictReviewer);
    public bool IsCouncil => CouncilRoles.Any(Has);
    public bool IsChair => Has(Identity.Roles.CouncilChair);
    public bool IsChairOrSecretary => Has(Identity.Roles.CouncilChair) || Has(Identity.Roles.CouncilSecretary);
    public bool IsUnitOfficer => UnitRoles.Any(Has);
    public bool IsAdmin => Has(Identity.Roles.ProvincialAdmin) || Has(Identity.Roles.SystemAdmin);

    public string UserName => Scope.UserName ?? "Hệ thống";

    private string? _fullName;

    /// <summary>The name the history, the results and the documents show for the system itself (CLI, jobs, demo seeding).</summary>
    public const string SystemName = "Hệ thống";

    /// <summary>The user's full name as documents and history print it (the sign-in name when none is recorded; the system's in Vietnamese).</summary>
    public async Task<string> FullNameAsync(DtiDbContext db, CancellationToken ct)
    {
        if (_fullName is not null) return _fullName;
        var name = Scope.UserId is null ? null
            : await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
                db.Users.Where(u => u.Id == Scope.UserId).Select(u => u.FullName), ct);
        return _fullName = !string.IsNullOrWhiteSpace(name) ? name : IsSystem ? SystemName : UserName;
    }

    /// <summary>How the author of a comment or a step is described.</summary>
    public string RoleLabel => IsSystem ? "Hệ thống"
        : IsChair ? Identity.Roles.DisplayName(Identity.Roles.CouncilChair)
        : IsCouncil ? "Hội đồng thẩm định"
        : IsDistrictReviewer ? "Phòng Văn hóa và Thông tin"
        : IsUnitOfficer ? "Đơn vị"
        : IsAdmin ? "Quản trị"
        : "";

    public Task<(Assessment Assessment, AssessmentRound Round, EntrySet Set)> LoadAsync(DtiDbContext db, int assessmentId, string action, bool track, CancellationToken ct) =>
        access.LoadAsync(db, assessmentId, action, track, ct);

    /// <summary>The review transitions offered (submitting is the entry page's).</summary>
    public IReadOnlyList<WorkflowAction> Actions(Assessment a, AssessmentRound round) =>
        [.. AssessmentWorkflow.Allowed(a.Status, Roles, round.HasDistrictTier).Where(x => x is not (WorkflowAction.Submit or WorkflowAction.Resubmit))];

    /// <summary>The tier the user appraises as now, or null. After approval, only the council, only on a reopened criterion.</summary>
    public ReviewTier? AppraiseAs(Assessment a) => a.Status switch
    {
        AssessmentStatus.UnderDistrictReview when IsDistrictReviewer => ReviewTier.District,
        AssessmentStatus.UnderCouncilAppraisal when IsCouncil => ReviewTier.Council,
        AssessmentStatus.Approved or AssessmentStatus.Published when IsCouncil && a.ReopenedCriterion is not null => ReviewTier.Council,
        _ => null,
    };

    /// <summary>Reviewers, the council and the unit itself talk in the threads once the assessment is submitted.</summary>
    public bool CanComment(Assessment a) => a.Status != AssessmentStatus.Draft && (IsDistrictReviewer || IsCouncil || IsUnitOfficer || IsSystem);

    public bool CanVote(Assessment a) => a.Status == AssessmentStatus.UnderCouncilAppraisal && IsCouncil && !IsSystem;
}
