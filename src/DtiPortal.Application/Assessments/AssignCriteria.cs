using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Assessments;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// A commune officer (re)assigns a criterion to a department (phòng/ban), or back to the unit itself (null). Assignments
/// default to the set's <c>lead</c> column; department officers then see and fill only theirs.
/// </summary>
public sealed class AssignCriteria(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, AccessGuard guard)
{
    public const string Action = "Phân công tiêu chí";

    public async Task<CommandResult> HandleAsync(int assessmentId, string criterionCode, string? department, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        await guard.DemandAsync(Action, assessment.UnitId, [Roles.CommuneOfficer], ct);
        var deadline = await access.DeadlineAsync(db, assessment, round, ct);
        if (AssessmentRules.WhyCannotEdit(assessment.AwaitingEntry, round.IsOpen, deadline) is { } why) return CommandResult.Fail(why);
        if (set.Set.Find(criterionCode) is not { IsGroup: false })
            return CommandResult.Fail($"Không có tiêu chí {criterionCode} trong bộ chỉ số của đợt này.");
        if (department is { Length: > 200 }) return CommandResult.Fail("Tên phòng/ban dài quá 200 ký tự.");

        var row = await db.CriterionAssignments.SingleOrDefaultAsync(x => x.AssessmentId == assessmentId && x.CriterionCode == criterionCode, ct);
        if (row is null) db.CriterionAssignments.Add(new CriterionAssignment(assessmentId, assessment.UnitId, criterionCode, department));
        else row.Reassign(department);
        await db.SaveChangesAsync(ct);
        return CommandResult.Ok;
    }

    /// <summary>The departments named in the set's lead column, for the page's choices.</summary>
    public async Task<IReadOnlyList<string>> DepartmentsAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (_, _, set) = await access.LoadAsync(db, assessmentId, Action, track: false, ct);
        var assigned = await db.CriterionAssignments.AsNoTracking().Where(x => x.AssessmentId == assessmentId && x.Department != null)
            .Select(x => x.Department!).Distinct().ToListAsync(ct);
        return set.Criteria.Select(c => c.Details.Lead).OfType<string>().Concat(assigned)
            .DistinctBy(Domain.VietnameseText.Fold).Order(StringComparer.Ordinal).ToList();
    }
}
