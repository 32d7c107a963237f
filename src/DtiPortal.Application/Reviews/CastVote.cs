using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DtiPortal.Application.Reviews;

/// <summary>A council member's vote on an assessment under appraisal (one per member and submission; voting again changes it).</summary>
public sealed class CastVote(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, TimeProvider clock)
{
    public const string Action = "Biểu quyết thẩm định";

    public Task<ReviewResult> HandleAsync(int assessmentId, bool agrees, string? comment, CancellationToken ct = default) =>
        Result.Refusals(() => HandleAsyncCore(assessmentId, agrees, comment, ct), ReviewResult.Fail);

    private async Task<ReviewResult> HandleAsyncCore(int assessmentId, bool agrees, string? comment, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, _, _) = await review.LoadAsync(db, assessmentId, Action, track: false, ct);
        if (!review.CanVote(a))
            return ReviewResult.Fail(review.IsCouncil
                ? "Chỉ biểu quyết khi Hội đồng đang thẩm định bản đánh giá."
                : "Chỉ thành viên Hội đồng thẩm định được biểu quyết.");
        var userId = review.Scope.UserId!;
        var vote = await db.CouncilVotes.SingleOrDefaultAsync(v => v.AssessmentId == a.Id && v.Cycle == a.ReviewCycle && v.UserId == userId, ct);
        if (vote is null)
        {
            var role = review.IsChair ? Roles.DisplayName(Roles.CouncilChair)
                : review.Has(Roles.CouncilSecretary) ? Roles.DisplayName(Roles.CouncilSecretary) : Roles.DisplayName(Roles.CouncilMember);
            vote = new CouncilVote(a.Id, a.UnitId, a.ReviewCycle, userId, await review.FullNameAsync(db, ct), role);
            db.CouncilVotes.Add(vote);
        }
        try
        {
            vote.Cast(agrees, comment, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }
        catch (DomainException ex)
        {
            return ReviewResult.Fail(ex.Message);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ReviewResult.Conflicted("Phiếu biểu quyết của bạn vừa được ghi từ một cửa sổ khác; hãy tải lại trang.");
        }
        return ReviewResult.Success();
    }
}
