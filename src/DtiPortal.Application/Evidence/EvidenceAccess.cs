using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Assessments;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Evidence;

/// <summary>An assessment or a piece of evidence the user cannot see, or that does not exist: the same answer for both.</summary>
public sealed class EvidenceNotFoundException(string message = "Không tìm thấy tài liệu kiểm chứng hoặc bản đánh giá.") : Exception(message);

/// <summary>What a change to an assessment's evidence is about, once it has been allowed.</summary>
public sealed record EvidenceTarget(int AssessmentId, int UnitId, string CriterionCode, int Year);

/// <summary>
/// Who may change an assessment's evidence (issue 5): a commune or department officer of the assessment's unit, while the
/// unit still has the figures (Draft or Returned, round open); a department officer only for criteria assigned to their
/// department. The assessment must be visible to the user (tenancy filter and RLS); if not, it "does not exist".
/// </summary>
public sealed class EvidenceAccess(AccessGuard guard, RoundSetCache sets, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> EditorRoles = [Roles.CommuneOfficer, Roles.DepartmentOfficer];

    public async Task<EvidenceTarget> DemandChangeAsync(DtiDbContext db, string action, int assessmentId, string criterionCode, CancellationToken ct)
    {
        var code = CheckCriterionCode(criterionCode);
        var assessment = await db.Assessments.AsNoTracking().Include(x => x.Round)
            .SingleOrDefaultAsync(x => x.Id == assessmentId, ct) ?? throw new EvidenceNotFoundException();
        var round = assessment.Round!;
        var a = new { assessment.Id, assessment.UnitId, assessment.Status, RoundOpen = round.IsOpen, round.Year, assessment.ReturnedCriteria, round.CriteriaSetVersionId };
        await guard.DemandAsync(action, a.UnitId, EditorRoles, ct);
        // A code outside the round's set would store a file no page shows, no reviewer sees and no export lists (issue 16 §5).
        var set = await sets.GetAsync(db, a.CriteriaSetVersionId, ct);
        if (!InSet(set, code))
            throw new Domain.DomainException($"Tiêu chí {code} không có trong bộ chỉ số của đợt đánh giá này.");
        var awaitingEntry = a.Status is AssessmentStatus.Draft or AssessmentStatus.Returned;
        // After the deadline (issue 15) adding or removing evidence is entry like any other.
        var deadline = await AssessmentDeadlines.DecideAsync(db, assessment, round, clock, ct);
        if (AssessmentRules.WhyCannotEdit(awaitingEntry, a.RoundOpen, deadline) is { } why) throw new AccessDeniedException(why);
        // After a return only the criteria sent back may change (issue 6).
        if (!Domain.Reviews.AppraisalRules.CanChangeCriterion(a.Status, a.ReturnedCriteria, code))
            throw new AccessDeniedException(Domain.Reviews.AppraisalRules.NotReturnedMessage);

        var scope = guard.Scope;
        var departmentOnly = scope.IsInRole(Roles.DepartmentOfficer) && !scope.IsInRole(Roles.CommuneOfficer)
                             && !scope.IsInRole(Roles.SystemAdmin) && !scope.IsUnrestricted;
        if (departmentOnly)
        {
            var department = await db.Users.AsNoTracking().Where(u => u.Id == scope.UserId).Select(u => u.Department).SingleOrDefaultAsync(ct);
            var assigned = await db.CriterionAssignments.AsNoTracking()
                .Where(x => x.AssessmentId == a.Id && x.CriterionCode == code).Select(x => x.Department).ToListAsync(ct);
            if (!assigned.Any(d => CriterionAssignment.SameDepartment(d, department)))
                throw new AccessDeniedException($"Tiêu chí {code} không được giao cho phòng/ban của bạn nên không thể thêm hoặc xóa tài liệu kiểm chứng.");
        }
        return new EvidenceTarget(a.Id, a.UnitId, code, a.Year);
    }

    /// <summary>A criterion (or group) of the set, or one of its general items ("general:1.4").</summary>
    private static bool InSet(EntrySet set, string code) =>
        code.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal)
            ? set.Specs.ContainsKey(code)
            : set.Set.Find(code) is not null;

    /// <summary>A criterion as the set prints it ("3.1", "2.1.a", "general:1.4").</summary>
    public static string CheckCriterionCode(string? code)
    {
        var c = code?.Trim() ?? "";
        if (c.Length is 0 or > 64 || c.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '.' or ':' or '_' or '-')))
            throw new Domain.DomainException($"Mã tiêu chí \"{code}\" không hợp lệ.");
        return c;
    }
}
