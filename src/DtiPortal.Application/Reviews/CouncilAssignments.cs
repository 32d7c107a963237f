using DtiPortal.Application.Assessments;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// Which council member appraises which criterion in a round (issue 6: "members can be assigned criteria"). The chair
/// or the secretary assigns; members are the council users of the round's province. An assigned criterion can be
/// appraised only by its member (and the chair/secretary); unassigned ones by any member.
/// </summary>
public sealed class CouncilAssignments(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, AssessmentAccess access, RoundSetCache sets, UnitHierarchy hierarchy)
{
    public const string Action = "Phân công thành viên Hội đồng";
    private static readonly string[] CouncilRoles = [Roles.CouncilMember, Roles.CouncilChair, Roles.CouncilSecretary];

    public async Task<(IReadOnlyList<CouncilAssignmentRow> Rows, IReadOnlyList<CouncilMemberOption> Members)> ListAsync(int roundId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await LoadRoundAsync(db, roundId, ct);
        var set = await sets.GetAsync(db, round.CriteriaSetVersionId, ct);
        var assigned = await db.CouncilAssignments.AsNoTracking().Where(x => x.RoundId == roundId).ToDictionaryAsync(x => x.CriterionCode, ct);
        var rows = new List<CouncilAssignmentRow>();
        void Walk(Domain.Criteria.CriterionNode n, int depth)
        {
            var x = assigned.GetValueOrDefault(n.Code);
            rows.Add(new CouncilAssignmentRow(n.Code, n.Name, depth, n.IsGroup, x?.UserId, x?.UserName));
            foreach (var c in n.Children) Walk(c, depth + 1);
        }
        foreach (var n in set.Set.Tree) Walk(n, 0);
        return (rows, await MembersAsync(db, round, ct));
    }

    public async Task<ReviewResult> AssignAsync(int roundId, string criterionCode, string? userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var round = await LoadRoundAsync(db, roundId, ct);
        if (!review.IsChairOrSecretary) return ReviewResult.Fail("Chỉ Chủ tịch hoặc Thư ký Hội đồng được phân công thành viên.");
        var set = await sets.GetAsync(db, round.CriteriaSetVersionId, ct);
        if (set.Set.Find(criterionCode) is not { IsGroup: false })
            return ReviewResult.Fail($"Tiêu chí “{criterionCode}” không có trong bộ chỉ số của đợt này.");
        var row = await db.CouncilAssignments.SingleOrDefaultAsync(x => x.RoundId == roundId && x.CriterionCode == criterionCode, ct);
        if (string.IsNullOrEmpty(userId))
        {
            if (row is not null) db.CouncilAssignments.Remove(row);
        }
        else
        {
            var member = (await MembersAsync(db, round, ct)).FirstOrDefault(m => m.UserId == userId);
            if (member is null) return ReviewResult.Fail("Người được chọn không phải thành viên Hội đồng thẩm định của tỉnh.");
            if (row is null) db.CouncilAssignments.Add(new CouncilAssignment(roundId, criterionCode, member.UserId, member.Name));
            else row.Reassign(member.UserId, member.Name);
        }
        await db.SaveChangesAsync(ct);
        return ReviewResult.Success();
    }

    private async Task<AssessmentRound> LoadRoundAsync(DtiDbContext db, int roundId, CancellationToken ct)
    {
        var round = await db.AssessmentRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !access.CanReadRound(round)) throw new AccessDeniedException("Không tìm thấy đợt đánh giá này, hoặc đợt nằm ngoài phạm vi của bạn.");
        await review.Guard.DemandAsync(Action, null, [.. CouncilRoles, Roles.ProvincialAdmin], ct);
        return round;
    }

    private async Task<IReadOnlyList<CouncilMemberOption>> MembersAsync(DtiDbContext db, AssessmentRound round, CancellationToken ct)
    {
        var province = hierarchy.Subtree(round.ProvinceUnitId);
        var users = await (from u in db.Users.AsNoTracking()
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where CouncilRoles.Contains(r.Name!) && !u.IsDisabled
                           select new { u.Id, u.FullName, u.UserName, u.UnitId, Role = r.Name! }).ToListAsync(ct);
        return [.. users.Where(u => province.Contains(u.UnitId))
            .GroupBy(u => u.Id)
            .Select(g => new CouncilMemberOption(g.Key, string.IsNullOrWhiteSpace(g.First().FullName) ? g.First().UserName ?? g.Key : g.First().FullName,
                g.Any(x => x.Role == Roles.CouncilChair) ? Roles.DisplayName(Roles.CouncilChair)
                : g.Any(x => x.Role == Roles.CouncilSecretary) ? Roles.DisplayName(Roles.CouncilSecretary) : Roles.DisplayName(Roles.CouncilMember)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)];
    }
}
