using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Assessments;

/// <summary>How the current user takes part in data entry.</summary>
public enum EntryRole
{
    /// <summary>A commune officer (or a system admin, or the system itself): every criterion and the general information.</summary>
    Unit,
    /// <summary>A department officer: only the criteria assigned to their department.</summary>
    Department,
    /// <summary>Reviewers, council, admins: read only.</summary>
    Viewer,
}

/// <summary>What the current user may see and change in one assessment.</summary>
public sealed record EntryPermissions(
    EntryRole Role, bool CanEditNow, string? WhyReadOnly, IReadOnlySet<string> Visible, IReadOnlySet<string> Editable, bool CanEditGeneral);

/// <summary>
/// Loads an assessment for a use case and decides what the current user may do with it (issue 5): the unit must be in
/// the user's scope (tenancy filter, RLS, then <see cref="AccessGuard"/>), and the reader's unit must lie under the
/// round's province; a department officer sees only the criteria assigned to their department. One instance per DI
/// scope; it remembers the user's department.
/// </summary>
public sealed class AssessmentAccess(IUnitScope scope, AccessGuard guard, IAuditLog audit, RoundSetCache sets, UnitHierarchy hierarchy, TimeProvider clock)
{
    public const string NotFoundMessage = "Không tìm thấy bản đánh giá này, hoặc bản đánh giá nằm ngoài phạm vi của bạn.";
    private string? _department;
    private bool _departmentLoaded;

    public IUnitScope Scope => scope;

    public EntryRole Role =>
        (scope.IsUnrestricted && scope.UserId is null) || scope.IsInRole(Roles.SystemAdmin) || scope.IsInRole(Roles.CommuneOfficer) ? EntryRole.Unit
        : scope.IsInRole(Roles.DepartmentOfficer) ? EntryRole.Department
        : EntryRole.Viewer;

    /// <summary>
    /// The roles the workflow table sees for this user on the entry side: whoever enters as the unit (a commune officer,
    /// a system administrator, the system itself) acts as the commune officer.
    /// </summary>
    public IReadOnlyCollection<string> WorkflowRoles =>
        Role == EntryRole.Unit ? [.. scope.Roles.Append(Roles.CommuneOfficer).Distinct(StringComparer.Ordinal)] : scope.Roles;

    /// <summary>
    /// May the user submit the assessment now? The workflow table answers (Submit/Resubmit), the round must be open and
    /// the deadline must allow it (<paramref name="deadline"/>: the policy's answer today).
    /// </summary>
    public bool MaySubmit(Assessment assessment, AssessmentRound round, Domain.Assessments.DeadlineDecision? deadline = null) =>
        round.IsOpen && deadline?.Allowed != false && Domain.Reviews.AssessmentWorkflow.Allowed(assessment.Status, WorkflowRoles, round.HasDistrictTier)
            .Contains(Assessment.SubmitAction(assessment.Status));

    /// <summary>What the deadline allows today for this assessment (<see cref="AssessmentDeadlines"/>).</summary>
    public Task<Domain.Assessments.DeadlineDecision> DeadlineAsync(DtiDbContext db, Assessment assessment, AssessmentRound round, CancellationToken ct) =>
        AssessmentDeadlines.DecideAsync(db, assessment, round, clock, ct);

    public async Task<string?> DepartmentAsync(DtiDbContext db, CancellationToken ct)
    {
        if (_departmentLoaded) return _department;
        _department = scope.UserId is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == scope.UserId).Select(u => u.Department).SingleOrDefaultAsync(ct);
        _departmentLoaded = true;
        return _department;
    }

    /// <summary>Loads the assessment with its round and set, or throws <see cref="AccessDeniedException"/> (audited).</summary>
    public async Task<(Assessment Assessment, AssessmentRound Round, EntrySet Set)> LoadAsync(
        DtiDbContext db, int assessmentId, string action, bool track, CancellationToken ct)
    {
        var query = db.Assessments.Include(a => a.Round).Where(a => a.Id == assessmentId);
        if (!track) query = query.AsNoTracking();
        var assessment = await query.SingleOrDefaultAsync(ct);
        if (assessment?.Round is null)
        {
            await audit.RefusedAsync(action, NotFoundMessage, entityType: nameof(Assessment), entityId: assessmentId.ToString(), ct: ct);
            throw new AccessDeniedException(NotFoundMessage);
        }
        await guard.DemandAsync(action, assessment.UnitId, [], ct);
        DemandUnderProvince(assessment.Round);
        var set = await sets.GetAsync(db, assessment.Round.CriteriaSetVersionId, ct);
        return (assessment, assessment.Round, set);
    }

    /// <summary>Rounds are not unit-owned: a reader must belong under the round's province (or manage it).</summary>
    public bool CanReadRound(AssessmentRound round)
    {
        if (scope.IsUnrestricted || scope.CanSee(round.ProvinceUnitId)) return true;
        var province = hierarchy.Subtree(round.ProvinceUnitId);
        return (scope.HomeUnitId is { } home && province.Contains(home)) || scope.UnitIds.Any(province.Contains);
    }

    private void DemandUnderProvince(AssessmentRound round)
    {
        if (!CanReadRound(round)) throw new AccessDeniedException(NotFoundMessage);
    }

    /// <summary>Who fills each criterion (criterion code → department): the assessment's own assignments, else the set's lead.</summary>
    public static async Task<Dictionary<string, string?>> AssignmentsAsync(DtiDbContext db, int assessmentId, EntrySet set, CancellationToken ct)
    {
        var rows = await db.CriterionAssignments.AsNoTracking().Where(x => x.AssessmentId == assessmentId)
            .Select(x => new { x.CriterionCode, x.Department }).ToListAsync(ct);
        // The set's own code strings and one instance of each department's name: the entry page keeps this map for as long
        // as it is open (issue 17).
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var assignments = new Dictionary<string, string?>(rows.Count + set.Criteria.Count, StringComparer.Ordinal);
        foreach (var r in rows)
            assignments[set.Set.Find(r.CriterionCode)?.Code ?? r.CriterionCode] = StoredValues.Shared(r.Department, names);
        foreach (var c in set.Criteria) assignments.TryAdd(c.Code, c.Details.Lead);
        return assignments;
    }

    /// <summary>Visible and editable criteria for the current user (assignments: criterion code → department).</summary>
    public async Task<EntryPermissions> PermissionsAsync(
        DtiDbContext db, Assessment assessment, AssessmentRound round, EntrySet set, IReadOnlyDictionary<string, string?> assignments, CancellationToken ct)
    {
        var deadline = await DeadlineAsync(db, assessment, round, ct);
        var why = Domain.Assessments.AssessmentRules.WhyCannotEdit(assessment.AwaitingEntry, round.IsOpen, deadline);
        var all = set.Criteria.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        HashSet<string> visible;
        switch (Role)
        {
            case EntryRole.Department:
                var department = await DepartmentAsync(db, ct);
                visible = all.Where(c => CriterionAssignment.SameDepartment(assignments.GetValueOrDefault(c), department)).ToHashSet(StringComparer.Ordinal);
                break;
            default:
                visible = all;
                break;
        }
        var canEdit = why is null && Role != EntryRole.Viewer;
        // After a return only the criteria sent back are editable (issue 6).
        var editable = canEdit ? visible.Where(assessment.CanChangeCriterion).ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
        return new EntryPermissions(Role, canEdit, why ?? (Role == EntryRole.Viewer ? "Bạn chỉ có quyền xem bản đánh giá này." : null),
            visible, editable, canEdit && Role == EntryRole.Unit && assessment.CanChangeGeneral);
    }
}
