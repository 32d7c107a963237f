using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Identity;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// The appraisal minutes (biên bản thẩm định) and the recognition decision (quyết định công nhận) of an approved
/// assessment: built from the frozen recognised result (never recomputed), rendered to PDF by the Web's
/// <see cref="IReviewDocumentRenderer"/> (headless Chromium), stored next to the evidence under "documents/…". Reading them
/// goes through the same scope as the assessment.
/// </summary>
public sealed class ReviewDocuments(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, IEvidenceStore store, IServiceProvider services)
{
    public const string OpenAction = "Tải văn bản thẩm định";
    public const string RegenerateAction = "Tạo lại văn bản thẩm định";

    public static string FileName(ReviewDocumentKind kind, int assessmentId, int version) => kind == ReviewDocumentKind.AppraisalMinutes
        ? $"bien-ban-tham-dinh-{assessmentId}-v{version}.pdf"
        : $"quyet-dinh-cong-nhan-{assessmentId}-v{version}.pdf";

    /// <summary>The stored PDF of the current (or given) result version; null when there is none.</summary>
    public async Task<DocumentFile?> OpenAsync(int assessmentId, ReviewDocumentKind kind, int? version = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await review.LoadAsync(db, assessmentId, OpenAction, track: false, ct);
        var query = db.RecognisedResults.AsNoTracking().Where(r => r.AssessmentId == assessmentId);
        if (version is { } v) query = query.Where(r => r.Version == v);
        var result = await query.OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct);
        var key = kind == ReviewDocumentKind.AppraisalMinutes ? result?.MinutesKey : result?.DecisionKey;
        if (result is null || key is null) return null;
        var stream = await store.OpenReadAsync(key, ct);
        return stream is null ? null : new DocumentFile(FileName(kind, assessmentId, result.Version), "application/pdf", stream);
    }

    /// <summary>Generates the documents of the current result again (after a failure). The council and administrators only.</summary>
    public Task<ReviewResult> RegenerateAsync(int assessmentId, CancellationToken ct = default) =>
        Result.Refusals(() => RegenerateAsyncCore(assessmentId, ct), ReviewResult.Fail);

    private async Task<ReviewResult> RegenerateAsyncCore(int assessmentId, CancellationToken ct)
    {
        int version;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var (a, _, _) = await review.LoadAsync(db, assessmentId, RegenerateAction, track: false, ct);
            await review.Guard.DemandAsync(RegenerateAction, a.UnitId, [Roles.CouncilChair, Roles.CouncilSecretary, Roles.CouncilMember, Roles.ProvincialAdmin], ct);
            var current = await db.RecognisedResults.AsNoTracking().Where(r => r.AssessmentId == assessmentId).MaxAsync(r => (int?)r.Version, ct);
            if (current is null) return ReviewResult.Fail("Bản đánh giá chưa được phê duyệt nên chưa có văn bản.");
            version = current.Value;
        }
        var error = await GenerateAsync(assessmentId, version, ct);
        return error is null ? ReviewResult.Success(version) : ReviewResult.Fail(error);
    }

    /// <summary>Renders and stores both documents of one result version; returns the error (also stored on the result) or null.</summary>
    internal async Task<string?> GenerateAsync(int assessmentId, int version, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var result = await db.RecognisedResults.SingleAsync(r => r.AssessmentId == assessmentId && r.Version == version, ct);
        var renderer = services.GetService<IReviewDocumentRenderer>();
        string? error = null, minutesKey = null, decisionKey = null;
        if (renderer is null) error = "Máy chủ chưa được cấu hình để tạo văn bản PDF.";
        else
        {
            try
            {
                var model = await ModelAsync(db, result, ct);
                minutesKey = await StoreAsync(renderer, ReviewDocumentKind.AppraisalMinutes, model, assessmentId, version, ct);
                decisionKey = await StoreAsync(renderer, ReviewDocumentKind.RecognitionDecision, model, assessmentId, version, ct);
            }
            catch (ReviewDocumentException ex)
            {
                error = ex.Message;
            }
        }
        result.AttachDocuments(minutesKey, decisionKey, error);
        await db.SaveChangesAsync(ct);
        return error;
    }

    private async Task<string> StoreAsync(IReviewDocumentRenderer renderer, ReviewDocumentKind kind, RecognitionDocumentModel model, int assessmentId, int version, CancellationToken ct)
    {
        var pdf = await renderer.RenderPdfAsync(kind, model, ct);
        var key = $"documents/a{assessmentId}/v{version}/{(kind == ReviewDocumentKind.AppraisalMinutes ? "bien-ban" : "quyet-dinh")}.pdf";
        using var stream = new MemoryStream(pdf, writable: false);
        await store.WriteAsync(key, stream, ct);
        return key;
    }

    private static string Lower(string kind) => kind.Length == 0 ? kind : char.ToLowerInvariant(kind[0]) + kind[1..];

    /// <summary>What the documents print, from the frozen result.</summary>
    internal async Task<RecognitionDocumentModel> ModelAsync(DtiDbContext db, RecognisedResult result, CancellationToken ct)
    {
        var a = await db.Assessments.AsNoTracking().Include(x => x.Round).SingleAsync(x => x.Id == result.AssessmentId, ct);
        var round = a.Round!;
        var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Id == a.UnitId, ct);
        var parent = unit.ParentId is { } pid ? await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == pid, ct) : null;
        var province = await db.Units.AsNoTracking().SingleAsync(u => u.Id == round.ProvinceUnitId, ct);
        var set = (await services.GetRequiredService<RoundSetCache>().GetAsync(db, round.CriteriaSetVersionId, ct)).Set;
        var rows = Recognition.ReadRows(result.ResultJson);
        var votes = await db.CouncilVotes.AsNoTracking().Where(v => v.AssessmentId == a.Id && v.Cycle == a.ReviewCycle).OrderBy(v => v.At)
            .Select(v => new DocumentVote(v.UserName, v.RoleName, v.Agrees, v.Comment)).ToListAsync(ct);
        var steps = await db.WorkflowSteps.AsNoTracking().Where(s => s.AssessmentId == a.Id).OrderBy(s => s.At).ToListAsync(ct);
        var stepLines = steps.Select(s => $"{s.At.ToOffset(Domain.VietnamTime.Offset):dd/MM/yyyy HH:mm} — {s.ActorName}: {ReviewActions.Name(s.Action)}"
                                          + (s.CriterionCode is null ? "" : $" (tiêu chí {s.CriterionCode})") + (s.Reason is null ? "" : $". {s.Reason}")).ToList();
        var usesLevels = set.Levels.Count > 0;
        var usesPoints = set.MaxPoints is not null;
        var provinceName = $"{province.Kind.DisplayName()} {province.Name}";
        var levelName = result.Level is { } l ? set.Levels.FirstOrDefault(x => x.Level == l)?.Name : null;
        var decision = set.Decision is { } d && !string.IsNullOrWhiteSpace(d.Number)
            ? $"{DocumentNumbering.Printable(d.Number)}{(d.Date is { } date ? $" ngày {date:dd/MM/yyyy}" : "")} của {d.Issuer}" : null;
        var snapshot = await db.ScoreSnapshots.AsNoTracking().Where(s => s.Id == result.SnapshotId)
            .Select(s => new { s.TakenAt, s.UnitCount }).SingleOrDefaultAsync(ct);
        return new RecognitionDocumentModel(
            a.Id, $"{unit.Kind.DisplayName()} {unit.Name}", parent is null ? null : $"{parent.Kind.DisplayName()} {parent.Name}", provinceName,
            $"Hội đồng thẩm định chuyển đổi số {Lower(province.Kind.DisplayName())} {province.Name}",
            $"Ủy ban nhân dân {Lower(province.Kind.DisplayName())} {province.Name}",
            round.Name, round.Year, set.Name, decision, result.DocumentNumber, result.MinutesNumber ?? result.DocumentNumber, result.ApprovedAt, result.ApprovedByName, province.Name,
            usesPoints, usesLevels, result.SelfTotal, result.AppraisedTotal, result.Total, set.MaxPoints ?? rows.Where(r => r.Depth == 0).Sum(r => r.Max),
            result.SelfLevel, result.Level, levelName, snapshot?.TakenAt ?? result.ApprovedAt, snapshot?.UnitCount ?? 0,
            [.. rows.Select(r => new DocumentCriterionRow(r.Code, r.Name, r.Depth, r.IsGroup, r.Max, r.SelfPoints, r.AppraisedPoints, r.AchievedPoints,
                r.SelfLevelMet, r.AchievedLevelMet, r.Note))],
            votes, stepLines);
    }
}
