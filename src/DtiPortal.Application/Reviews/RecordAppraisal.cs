using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Reviews;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// Records a reviewer's appraisal of one criterion (issue 6): accept, correct inputs and/or points with a mandatory reason,
/// or ask the unit to fix it. Inputs are typed like data entry and parsed by the same rules (<see cref="ValueText"/>); points
/// must lie within the criterion's maximum. The district appraises while it reviews, the council while it appraises (a
/// member only the criteria assigned to them, when the chair has assigned them) and, after approval, only a reopened
/// criterion. Concurrent saves of one criterion never overwrite each other silently (the row's version).
/// </summary>
public sealed class RecordAppraisal(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, EntrySettings settings, TimeProvider clock)
{
    public const string Action = "Thẩm định tiêu chí";

    public Task<ReviewResult> HandleAsync(int assessmentId, string criterionCode, AppraisalInput input, int expectedVersion, CancellationToken ct = default) =>
        Result.Refusals(() => HandleAsyncCore(assessmentId, criterionCode, input, expectedVersion, ct), ReviewResult.Fail);

    private async Task<ReviewResult> HandleAsyncCore(int assessmentId, string criterionCode, AppraisalInput input, int expectedVersion, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, round, set) = await review.LoadAsync(db, assessmentId, Action, track: false, ct);
        criterionCode = (criterionCode ?? "").Trim();
        var node = set.Set.Find(criterionCode);
        if (node is null || node.IsGroup) return ReviewResult.Fail($"Tiêu chí “{criterionCode}” không có trong bộ chỉ số của đợt này.");

        var tier = review.AppraiseAs(a);
        if (tier is null)
            return ReviewResult.Fail(a.IsLocked
                ? "Bản đánh giá đã được phê duyệt và khóa: chỉ Hội đồng thẩm định được thẩm định lại tiêu chí đã mở lại."
                : $"Bạn không thể thẩm định khi bản đánh giá ở trạng thái “{AssessmentWorkflow.StateName(a.Status)}”.");
        if (a.IsLocked && a.ReopenedCriterion != criterionCode)
            return ReviewResult.Fail($"Chỉ tiêu chí đang mở lại ({a.ReopenedCriterion}) được thẩm định lại; các tiêu chí khác đã khóa.");
        if (tier == ReviewTier.Council && !review.IsChairOrSecretary && !review.IsSystem)
        {
            var assigned = await db.CouncilAssignments.AsNoTracking().Where(x => x.RoundId == round.Id && x.CriterionCode == criterionCode)
                .Select(x => new { x.UserId, x.UserName }).SingleOrDefaultAsync(ct);
            if (assigned is not null && assigned.UserId != review.Scope.UserId)
                return ReviewResult.Fail($"Tiêu chí {criterionCode} được phân công cho {assigned.UserName} thẩm định.");
        }

        // Parse what was typed, as data entry would.
        var corrected = new Dictionary<string, object?>(StringComparer.Ordinal);
        decimal? points = null;
        if (input.Verdict == AppraisalVerdict.Corrected)
        {
            var own = set.AddressesOf.GetValueOrDefault(criterionCode)?.Select(x => x.Address).ToHashSet(StringComparer.Ordinal) ?? [];
            foreach (var (address, raw) in input.CorrectedInputs ?? new Dictionary<string, string?>())
            {
                if (string.IsNullOrWhiteSpace(raw)) continue; // left blank: the unit's value stands
                if (!own.Contains(address) || !set.Specs.TryGetValue(address, out var spec))
                    return ReviewResult.Fail($"Ô nhập “{address}” không thuộc tiêu chí {criterionCode}.");
                var parsed = ValueText.Parse(spec, raw, settings.MaxValue, round.Year);
                if (!parsed.Ok) return ReviewResult.Fail($"{spec.Label}: {parsed.Error}");
                corrected[address] = parsed.Value;
            }
            if (!string.IsNullOrWhiteSpace(input.CorrectedPoints))
            {
                if (node.Max <= 0) return ReviewResult.Fail($"Tiêu chí {criterionCode} không chấm điểm: hãy điều chỉnh số liệu.");
                if (!ValueText.TryParseNumber(input.CorrectedPoints.Trim(), out var p))
                    return ReviewResult.Fail($"Điểm thẩm định “{input.CorrectedPoints.Trim()}” không phải là số.");
                if (p < 0 || p > node.Max)
                    return ReviewResult.Fail($"Điểm thẩm định phải từ 0 đến {ValueText.Format(node.Max)} (điểm tối đa của tiêu chí {criterionCode}).");
                points = p;
            }
        }

        var row = await db.CriterionAppraisals.SingleOrDefaultAsync(x => x.AssessmentId == a.Id && x.CriterionCode == criterionCode && x.Tier == tier, ct);
        if (row is not null && row.Version != expectedVersion)
            return ReviewResult.Conflicted($"{row.ReviewedByName ?? "Người khác"} vừa lưu thẩm định tiêu chí này lúc "
                + $"{Domain.VietnamTime.DateTime(row.ReviewedAt)}. Hãy xem lại trước khi lưu đè.");
        if (row is null)
        {
            row = new CriterionAppraisal(a.Id, a.UnitId, criterionCode, tier.Value);
            db.CriterionAppraisals.Add(row);
        }
        try
        {
            row.Record(input.Verdict, ReviewScoring.WriteCorrections(corrected), points, input.Reason, a.ReviewCycle, clock.GetUtcNow(), review.Scope.UserId, await review.FullNameAsync(db, ct));
        }
        catch (DomainException ex)
        {
            return ReviewResult.Fail(ex.Message);
        }

        try
        {
            // Hold the assessment's state for the write: a transition committing meanwhile either waits or has already won.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var status = await db.Database.SqlQuery<string>($"select status as \"Value\" from assessments where id = {a.Id} for share").SingleAsync(ct);
            if (status != a.Status.ToString())
                return ReviewResult.Conflicted(TransitionAssessment.ConflictMessage);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return ReviewResult.Conflicted("Người khác vừa lưu thẩm định tiêu chí này. Hãy tải lại để xem trước khi lưu đè.");
        }
        return ReviewResult.Success(row.Version);
    }
}
