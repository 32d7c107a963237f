using DtiPortal.Application.Data;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Quality;

/// <summary>
/// A reviewer (the district's culture office, the council) or an administrator marks a figure of a submitted assessment
/// "cần theo dõi" with a note; marking it again replaces the note. The change and its audit entry go in one transaction.
/// </summary>
public sealed class MarkFollowUp(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, TimeProvider clock)
{
    public const string Action = "Đánh dấu số liệu cần theo dõi";

    public Task<Result<FollowUpView>> HandleAsync(int assessmentId, string address, string? note, CancellationToken ct = default) =>
        Result<FollowUpView>.Refusals(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var (a, _, set) = await review.LoadAsync(db, assessmentId, Action, track: false, ct);
            if (!(review.IsSystem || review.IsDistrictReviewer || review.IsCouncil || review.IsAdmin))
                return Result<FollowUpView>.Fail("Chỉ người thẩm định và Hội đồng thẩm định đánh dấu số liệu cần theo dõi.");
            if (a.Status == AssessmentStatus.Draft)
                return Result<FollowUpView>.Fail("Chỉ đánh dấu số liệu của bản đánh giá đã nộp.");
            address = (address ?? "").Trim();
            string? criterion;
            if (address.StartsWith(DataQuality.RatioPrefix, StringComparison.Ordinal))
            {
                criterion = address[DataQuality.RatioPrefix.Length..];
                if (set.Set.Find(criterion) is null) return Result<FollowUpView>.Fail($"Tiêu chí “{criterion}” không có trong bộ chỉ số của đợt này.");
            }
            else if (set.Specs.ContainsKey(address)) criterion = set.CriterionOf.GetValueOrDefault(address);
            else return Result<FollowUpView>.Fail($"Số liệu “{address}” không có trong bộ chỉ số của đợt này.");

            var now = clock.GetUtcNow();
            var name = await review.FullNameAsync(db, ct);
            var mark = await db.FollowUpMarks.SingleOrDefaultAsync(m => m.AssessmentId == a.Id && m.Address == address, ct);
            if (mark is null) db.FollowUpMarks.Add(mark = new FollowUpMark(a.Id, a.UnitId, address, criterion, note ?? "", now, review.Scope.UserId, name));
            else mark.Renote(note ?? "", now, review.Scope.UserId, name);
            await db.SaveChangesAsync(ct);
            return Result<FollowUpView>.Success(FollowUpView.From(mark));
        });
}

/// <summary>The unit answers a mark on one of its figures (its officers only; tenancy keeps other units' marks out of reach).</summary>
public sealed class AnswerFollowUp(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, TimeProvider clock)
{
    public const string Action = "Trả lời số liệu cần theo dõi";

    public Task<Result<FollowUpView>> HandleAsync(long markId, string? answer, CancellationToken ct = default) =>
        Result<FollowUpView>.Refusals(async () =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var mark = await db.FollowUpMarks.SingleOrDefaultAsync(m => m.Id == markId, ct);
            if (mark is null) return Result<FollowUpView>.Fail("Không tìm thấy đánh dấu cần theo dõi hoặc bạn không có quyền xem.");
            await review.LoadAsync(db, mark.AssessmentId, Action, track: false, ct);
            if (!(review.IsSystem || review.IsUnitOfficer))
                return Result<FollowUpView>.Fail("Chỉ cán bộ của đơn vị trả lời đánh dấu cần theo dõi.");
            mark.AnswerWith(answer ?? "", clock.GetUtcNow(), await review.FullNameAsync(db, ct));
            await db.SaveChangesAsync(ct);
            return Result<FollowUpView>.Success(FollowUpView.From(mark));
        });
}
