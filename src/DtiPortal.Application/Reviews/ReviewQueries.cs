using System.Text.Json;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Scoring;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// Reads for the review page (side by side per criterion: inputs, evidence, the three scores, appraisals, threads, what
/// changed since the last review) and for the unit's entry page (why it was returned, its result). Scores are recomputed
/// from the stored values and appraisals; after approval the cohort is the approval's frozen snapshot.
/// </summary>
public sealed class ReviewQueries(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, ReviewScoring scoring, IServiceProvider services)
{
    public const string ViewAction = "Xem hồ sơ thẩm định";

    public async Task<ReviewModel> GetAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, round, set) = await review.LoadAsync(db, assessmentId, ViewAction, track: false, ct);
        var summary = (await RoundAdmin.SummariesAsync(db, db.AssessmentRounds.AsNoTracking().Where(r => r.Id == round.Id), ct)).Single();
        var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Id == a.UnitId, ct);
        var parent = unit.ParentId is { } pid ? await db.Units.AsNoTracking().SingleOrDefaultAsync(u => u.Id == pid, ct) : null;
        var parentName = parent is null ? null : $"{parent.Kind.DisplayName()} {parent.Name}";

        var computed = await ComputeAsync(db, a, round, set, ct);
        var key = ReviewScoring.Key(a.Id);
        var rows = await StoredValues.LoadAsync(db, [a.Id], ct);
        var current = rows.ToDictionary(r => r.Address, r => r.ValueJson, StringComparer.Ordinal);
        var previous = await PreviousSubmissionAsync(db, a, ct);
        var evidenceChanges = await EvidenceChangesAsync(db, a, ct);
        var appraisals = await db.CriterionAppraisals.AsNoTracking().Where(x => x.AssessmentId == a.Id).ToListAsync(ct);
        var comments = (await db.ReviewComments.AsNoTracking().Where(x => x.AssessmentId == a.Id).OrderBy(x => x.CreatedAt).ToListAsync(ct))
            .Select(ToView).ToList();
        var evidence = services.GetService<IEvidenceLister>() is { } lister ? await lister.ListAsync(a.Id, ct) : [];
        var assigned = await db.CouncilAssignments.AsNoTracking().Where(x => x.RoundId == round.Id).ToDictionaryAsync(x => x.CriterionCode, x => x.UserName, ct);

        string? Shown(string address, string? json) => json is null ? null : ValueText.Display(ValueText.FromJson(json, set.Specs.GetValueOrDefault(address)));
        ReviewInput Input(string address, string label, string? unitText, IReadOnlyDictionary<string, string?>? district, IReadOnlyDictionary<string, string?>? council)
        {
            var now = current.GetValueOrDefault(address);
            var changed = previous is not null && (previous.GetValueOrDefault(address) ?? "null") != (now ?? "null");
            return new ReviewInput(address, label, unitText, Shown(address, now),
                district?.GetValueOrDefault(address) is { } d ? Shown(address, d) : null,
                council?.GetValueOrDefault(address) is { } c ? Shown(address, c) : null,
                changed, changed ? Shown(address, previous!.GetValueOrDefault(address)) ?? "(trống)" : null);
        }

        var criteria = new List<ReviewCriterion>();
        void Walk(CriterionNode node, int depth)
        {
            var s = computed.Self.Node(node.Code);
            var ap = computed.Appraised.Node(node.Code);
            var x = computed.Achieved.Node(node.Code);
            var district = appraisals.FirstOrDefault(p => p.CriterionCode == node.Code && p.Tier == ReviewTier.District);
            var council = appraisals.FirstOrDefault(p => p.CriterionCode == node.Code && p.Tier == ReviewTier.Council);
            var dc = ReviewScoring.ReadCorrections(district?.CorrectedValuesJson);
            var cc = ReviewScoring.ReadCorrections(council?.CorrectedValuesJson);
            var inputs = node.IsGroup ? [] : (set.AddressesOf.GetValueOrDefault(node.Code) ?? [])
                .Select(v => Input(v.Address, v.Label, v.Unit, dc, cc)).ToList();
            criteria.Add(new ReviewCriterion(node.Code, node.Name, depth, node.IsGroup, node.Max, node.Method?.Kind.ToString(), inputs,
                s.Points, ap.Points, x.Points, s.LevelMet, x.LevelMet, node.IsGroup ? null : x.Explanation,
                [.. evidence.Where(e => e.CriterionCode == node.Code)],
                district is null ? null : ToView(district, set), council is null ? null : ToView(council, set),
                [.. comments.Where(c => c.CriterionCode == node.Code)],
                inputs.Any(i => i.ChangedSinceLastReview) || (!node.IsGroup && evidenceChanges.Contains(node.Code)),
                a.ReturnedCriteria.Contains(node.Code) || (a.Status == AssessmentStatus.Returned && a.ReturnedCriteria.Count == 0 && !node.IsGroup),
                assigned.GetValueOrDefault(node.Code), node.IsGroup ? null : [.. evidenceChanges[node.Code]]));
            foreach (var c in node.Children) Walk(c, depth + 1);
        }
        foreach (var n in set.Set.Tree) Walk(n, 0);

        var general = set.Set.General.Select(g => Input(AssessmentValue.GeneralPrefix + g.Code, g.Label, g.Unit, null, null)).ToList();
        var votes = await db.CouncilVotes.AsNoTracking().Where(v => v.AssessmentId == a.Id && v.Cycle == a.ReviewCycle).OrderBy(v => v.At)
            .Select(v => new VoteView(v.UserId, v.UserName, v.RoleName, v.Agrees, v.Comment, v.At)).ToListAsync(ct);
        var history = await HistoryAsync(db, a.Id, ct);
        var result = await ResultAsync(db, a.Id, set.Set, ct);
        var actions = review.Actions(a, round);
        var can = new ReviewAbilities(actions, review.AppraiseAs(a), review.CanComment(a), review.CanVote(a),
            a.IsLocked && review.IsCouncil && a.ReopenedCriterion is null,
            a.IsLocked && review.IsChair && a.ReopenedCriterion is not null,
            review.IsChairOrSecretary, review.Has(Identity.Roles.ProvincialAdmin) && a.Status == AssessmentStatus.Approved);
        var max = set.Set.MaxPoints ?? set.Set.Tree.Sum(n => n.Max);
        return new ReviewModel(a.Id, a.UnitId, $"{unit.Kind.DisplayName()} {unit.Name}", parentName, summary, a.Status, a.ReviewCycle, a.TargetLevel, a.ReturnReason, a.ReturnedCriteria,
            a.ReopenedCriterion, a.ReopenReason, set.Set, criteria, general,
            computed.Self.Total, computed.Appraised.Total, computed.Achieved.Total, max,
            computed.Self.Level, computed.Appraised.Level, computed.Achieved.Level,
            [.. comments.Where(c => c.CriterionCode is null)], votes, history, result, can, a.RowVersion, a.LateDays);
    }

    /// <summary>What the unit sees on its entry page about the review.</summary>
    public async Task<UnitReviewInfo> ForUnitAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (a, _, set) = await review.LoadAsync(db, assessmentId, ViewAction, track: false, ct);
        var reasons = (await db.CriterionAppraisals.AsNoTracking()
                .Where(x => x.AssessmentId == a.Id && x.Reason != null && x.Verdict != AppraisalVerdict.Accepted).ToListAsync(ct))
            .Where(x => a.Status != AssessmentStatus.Returned || a.ReturnedCriteria.Count == 0 || a.ReturnedCriteria.Contains(x.CriterionCode) || x.Verdict == AppraisalVerdict.Corrected)
            .GroupBy(x => x.CriterionCode)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.OrderBy(x => x.Tier).Select(x =>
                $"{AppraisalRules.TierName(x.Tier)} – {AppraisalRules.VerdictName(x.Verdict)}: {x.Reason}")], StringComparer.Ordinal);
        var comments = (await db.ReviewComments.AsNoTracking().Where(x => x.AssessmentId == a.Id).OrderBy(x => x.CreatedAt).ToListAsync(ct)).Select(ToView).ToList();
        var byCriterion = comments.Where(c => c.CriterionCode is not null).GroupBy(c => c.CriterionCode!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CommentView>)[.. g], StringComparer.Ordinal);
        var result = await ResultAsync(db, a.Id, set.Set, ct);
        IReadOnlyList<ResultRow> resultRows = [];
        if (result is not null)
        {
            var json = await db.RecognisedResults.AsNoTracking().Where(r => r.AssessmentId == a.Id && r.Version == result.Version).Select(r => r.ResultJson).SingleAsync(ct);
            resultRows = Recognition.ReadRows(json);
        }
        return new UnitReviewInfo(a.Status, a.ReturnReason, a.ReturnedCriteria, reasons, byCriterion, [.. comments.Where(c => c.CriterionCode is null)], result, resultRows);
    }

    /// <summary>The three stages for the page: live before approval; after it, against the approval's frozen cohort.</summary>
    internal async Task<Recognition.Computed> ComputeAsync(DtiDbContext db, Assessment a, AssessmentRound round, EntrySet set, CancellationToken ct)
    {
        var cohort = await scoring.LoadAsync(round.Id, [a.Id], set, ct);
        var lower = a.Status is AssessmentStatus.Draft or AssessmentStatus.Submitted or AssessmentStatus.Returned
            ? new Dictionary<string, object?>() : await scoring.LowerLevelsAsync(a, round, set, ct);
        IReadOnlyList<UnitValues>? frozen = null;
        if (a.IsLocked)
        {
            var snapshotId = await db.RecognisedResults.AsNoTracking().Where(r => r.AssessmentId == a.Id).OrderByDescending(r => r.Version)
                .Select(r => (Guid?)r.SnapshotId).FirstOrDefaultAsync(ct);
            var json = snapshotId is null ? null : await db.ScoreSnapshots.AsNoTracking().Where(s => s.Id == snapshotId).Select(s => s.CohortJson).SingleOrDefaultAsync(ct);
            if (json is not null) frozen = Recognition.ReadCohort(json, set);
        }
        return Recognition.Compute(set, cohort, a.Id, round.HasDistrictTier, frozen, lower);
    }

    /// <summary>The values as submitted the time before (address → JSON), or null on the first submission.</summary>
    private static async Task<Dictionary<string, string?>?> PreviousSubmissionAsync(DtiDbContext db, Assessment a, CancellationToken ct)
    {
        if (a.ReviewCycle < 2) return null;
        var json = await db.WorkflowSteps.AsNoTracking()
            .Where(s => s.AssessmentId == a.Id && s.Cycle == a.ReviewCycle - 1 && s.ValuesJson != null
                        && (s.Action == nameof(WorkflowAction.Submit) || s.Action == nameof(WorkflowAction.Resubmit)))
            .OrderByDescending(s => s.At).Select(s => s.ValuesJson).FirstOrDefaultAsync(ct);
        return json is null ? null : ReviewScoring.ReadCorrections(json).ToDictionary(kv => kv.Key, kv => kv.Value == "null" ? null : kv.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// Evidence attached or removed between the previous submission and the latest one, by criterion. Evidence is deleted
    /// softly and stamped, so what was attached at each submission is known exactly: present at a moment = uploaded by
    /// then and not yet deleted. Empty on the first submission.
    /// </summary>
    internal static async Task<ILookup<string, EvidenceChange>> EvidenceChangesAsync(DtiDbContext db, Assessment a, CancellationToken ct)
    {
        var none = Array.Empty<EvidenceChange>().ToLookup(x => x.CriterionCode, StringComparer.Ordinal);
        if (a.ReviewCycle < 2) return none;
        var submissions = await db.WorkflowSteps.AsNoTracking()
            .Where(s => s.AssessmentId == a.Id && s.Cycle >= a.ReviewCycle - 1
                        && (s.Action == nameof(WorkflowAction.Submit) || s.Action == nameof(WorkflowAction.Resubmit)))
            .Select(s => new { s.Cycle, s.At }).ToListAsync(ct);
        var before = submissions.Where(s => s.Cycle == a.ReviewCycle - 1).Select(s => (DateTimeOffset?)s.At).Max();
        if (before is not { } prev) return none;
        // The latest submission closes the window; evidence cannot change after it until the next return, but a missing
        // step (data imported without one) must not hide changes, so "now" stands in.
        var now = submissions.Where(s => s.Cycle == a.ReviewCycle).Select(s => (DateTimeOffset?)s.At).Max() ?? DateTimeOffset.MaxValue;
        var rows = await db.Set<Evidence.EvidenceFile>().AsNoTracking()
            .Where(e => e.AssessmentId == a.Id && (e.DeletedAt == null || e.DeletedAt > prev))
            .Select(e => new { e.CriterionCode, e.Kind, e.FileName, e.Url, e.UploadedAt, e.DeletedAt }).ToListAsync(ct);
        static bool At(DateTimeOffset uploaded, DateTimeOffset? deleted, DateTimeOffset t) => uploaded <= t && (deleted is null || deleted > t);
        var changes = new List<EvidenceChange>();
        foreach (var e in rows)
        {
            bool then = At(e.UploadedAt, e.DeletedAt, prev), later = At(e.UploadedAt, e.DeletedAt, now);
            if (then == later) continue;
            var name = e.Kind == EvidenceKind.Link ? $"liên kết {e.Url}" : e.FileName ?? "(không tên)";
            changes.Add(new EvidenceChange(e.CriterionCode, name, later, later ? e.UploadedAt : e.DeletedAt!.Value));
        }
        return changes.OrderBy(c => c.At).ToLookup(c => c.CriterionCode, StringComparer.Ordinal);
    }

    internal static async Task<IReadOnlyList<StepView>> HistoryAsync(DtiDbContext db, int assessmentId, CancellationToken ct) =>
        (await db.WorkflowSteps.AsNoTracking().Where(s => s.AssessmentId == assessmentId).OrderBy(s => s.At).ThenBy(s => s.Id).ToListAsync(ct))
        .Select(s => new StepView(s.Action, ReviewActions.Name(s.Action), s.FromStatus, s.ToStatus, s.Reason, s.CriterionCode, s.ActorName, s.At, s.Cycle)).ToList();

    internal static async Task<ResultView?> ResultAsync(DtiDbContext db, int assessmentId, CriteriaSet set, CancellationToken ct)
    {
        var r = await db.RecognisedResults.AsNoTracking().Where(x => x.AssessmentId == assessmentId).OrderByDescending(x => x.Version).FirstOrDefaultAsync(ct);
        if (r is null) return null;
        var levelName = r.Level is { } l ? set.Levels.FirstOrDefault(x => x.Level == l)?.Name : null;
        return new ResultView(r.Version, r.SelfTotal, r.AppraisedTotal, r.Total, r.SelfLevel, r.Level, levelName, r.SnapshotId, r.DocumentNumber, r.ApprovedAt,
            r.ApprovedByName, r.Note, r.MinutesKey is not null, r.DecisionKey is not null, r.DocumentsError, r.MinutesNumber ?? r.DocumentNumber);
    }

    /// <summary>Corrected values are shown as text (the way the entry page shows them).</summary>
    // An accepted criterion shows no reason: rows saved before the reason was cleared with the verdict may still hold one.
    private static AppraisalView ToView(CriterionAppraisal x, EntrySet set) => new(x.Tier, x.Verdict, x.Verdict == AppraisalVerdict.Accepted ? null : x.Reason, x.CorrectedPoints,
        ReviewScoring.ReadCorrections(x.CorrectedValuesJson).ToDictionary(kv => kv.Key,
            kv => kv.Value is null ? null : (string?)ValueText.Display(ValueText.FromJson(kv.Value, set.Specs.GetValueOrDefault(kv.Key))), StringComparer.Ordinal),
        x.ReviewedByName, x.ReviewedAt, x.Version, x.Cycle);

    private static CommentView ToView(ReviewComment c) => new(c.Id, c.CriterionCode, c.Text, c.AuthorName, c.AuthorRole, c.CreatedAt, c.Cycle);

    internal static string ValuesSnapshot(IEnumerable<(string Address, string? Json)> values)
    {
        var obj = new System.Text.Json.Nodes.JsonObject();
        foreach (var (address, json) in values.OrderBy(v => v.Address, StringComparer.Ordinal))
            obj[address] = json is null ? null : System.Text.Json.Nodes.JsonNode.Parse(json);
        return obj.ToJsonString();
    }

    internal static JsonSerializerOptions Json => ReviewScoring.Json;
}
