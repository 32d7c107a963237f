using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DtiPortal.Application.Assessments;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// The recognised result of one assessment (approval, and re-approval after a reopened criterion): the three scores of
/// seed 004 (self-assessed, appraised, achieved) per criterion, and the cohort snapshot that freezes peer-relative
/// criteria. At approval the snapshot is taken from the round as it is (every other unit with its own corrections); at a
/// re-approval the approval's snapshot is reused, so nothing outside the reopened criterion can move.
/// </summary>
public static class Recognition
{
    public sealed record Computed(UnitResult Self, UnitResult Appraised, UnitResult Achieved, IReadOnlyList<ResultRow> Rows);

    /// <summary>Other units' achieved-stage values, as stored in <see cref="ScoreSnapshot.CohortJson"/>.</summary>
    public static string WriteCohort(IEnumerable<UnitValues> others, EntrySet set)
    {
        var root = new JsonObject();
        foreach (var u in others)
        {
            var values = new JsonObject();
            foreach (var (k, v) in u.Values) values[k] = ValueText.ToJson(v) is { } j ? JsonNode.Parse(j) : null;
            var general = new JsonObject();
            foreach (var (k, v) in u.General ?? new Dictionary<string, object?>()) general[k] = ValueText.ToJson(v) is { } j ? JsonNode.Parse(j) : null;
            var points = new JsonObject();
            foreach (var (k, v) in u.Points ?? new Dictionary<string, decimal>()) points[k] = v;
            root[u.Unit] = new JsonObject { ["values"] = values, ["general"] = general, ["points"] = points };
        }
        return root.ToJsonString();
    }

    public static List<UnitValues> ReadCohort(string json, EntrySet set)
    {
        var result = new List<UnitValues>();
        if (JsonNode.Parse(json) is not JsonObject root) return result;
        foreach (var (unit, node) in root)
        {
            if (node is not JsonObject o) continue;
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in o["values"] as JsonObject ?? [])
                values[k] = ValueText.FromJson(v?.ToJsonString(), set.Specs.GetValueOrDefault(k));
            var general = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in o["general"] as JsonObject ?? [])
                general[k] = ValueText.FromJson(v?.ToJsonString(), set.Specs.GetValueOrDefault(AssessmentValue.GeneralPrefix + k));
            var points = new Dictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var (k, v) in o["points"] as JsonObject ?? []) if (v is not null) points[k] = v.GetValue<decimal>();
            result.Add(new UnitValues(unit, values, general, points.Count > 0 ? points : null));
        }
        return result;
    }

    /// <summary>
    /// Scores the unit at the three stages. <paramref name="frozenOthers"/>: the snapshot's other units (null: take them
    /// from <paramref name="cohort"/>). <paramref name="lowerLevels"/>: a district's communes' recognised levels.
    /// </summary>
    public static Computed Compute(EntrySet set, ReviewScoring.Cohort cohort, int assessmentId, bool hasDistrictTier,
        IReadOnlyList<UnitValues>? frozenOthers, IReadOnlyDictionary<string, object?> lowerLevels)
    {
        var key = ReviewScoring.Key(assessmentId);
        var extra = lowerLevels.Count > 0 ? new Dictionary<int, IReadOnlyDictionary<string, object?>> { [assessmentId] = lowerLevels } : null;
        var self = ReviewScoring.Score(set, cohort, ReviewScoring.Stage.Self, hasDistrictTier).Unit(key);
        var appraised = ReviewScoring.Score(set, cohort, ReviewScoring.Stage.Appraised, hasDistrictTier, extra).Unit(key);
        UnitResult achieved;
        if (frozenOthers is null)
            achieved = ReviewScoring.Score(set, cohort, ReviewScoring.Stage.Achieved, hasDistrictTier, extra).Unit(key);
        else
        {
            var mine = ReviewScoring.Overlay(cohort.Raw[assessmentId], cohort.Appraisals[assessmentId], set, ReviewScoring.Stage.Achieved, hasDistrictTier);
            if (lowerLevels.Count > 0)
            {
                var values = new Dictionary<string, object?>(mine.Values, StringComparer.Ordinal);
                foreach (var (k, v) in lowerLevels) values[k] = v;
                mine = mine with { Values = values };
            }
            achieved = ScoringEngine.Score(set.Set, [.. frozenOthers.Where(u => u.Unit != key), mine]).Unit(key);
        }
        return new Computed(self, appraised, achieved, Rows(set.Set, self, appraised, achieved, cohort.Appraisals[assessmentId]));
    }

    /// <summary>The achieved-stage values of every unit but this one (what a snapshot stores).</summary>
    public static IEnumerable<UnitValues> Others(EntrySet set, ReviewScoring.Cohort cohort, int assessmentId, bool hasDistrictTier) =>
        cohort.Ids.Where(id => id != assessmentId)
            .Select(id => ReviewScoring.Overlay(cohort.Raw[id], cohort.Appraisals[id], set, ReviewScoring.Stage.Achieved, hasDistrictTier));

    /// <summary>
    /// The rows of a result. The note (the minutes' "Ghi chú") says how the points came about and, where a tier corrected the
    /// criterion, its reason: "Cấp huyện thẩm tra: Biên bản chỉ ghi 8 cuộc họp" (and the council's after it).
    /// </summary>
    public static IReadOnlyList<ResultRow> Rows(CriteriaSet set, UnitResult self, UnitResult appraised, UnitResult achieved,
        IEnumerable<CriterionAppraisal>? appraisals = null)
    {
        var reasons = (appraisals ?? []).Where(p => p.Verdict == Domain.Reviews.AppraisalVerdict.Corrected && !string.IsNullOrWhiteSpace(p.Reason))
            .OrderBy(p => p.Tier).ToLookup(p => p.CriterionCode, p => $"{Domain.Reviews.AppraisalRules.TierName(p.Tier)}: {p.Reason!.Trim()}", StringComparer.Ordinal);
        var rows = new List<ResultRow>();
        void Walk(CriterionNode node, int depth)
        {
            var s = self.Node(node.Code);
            var a = appraised.Node(node.Code);
            var x = achieved.Node(node.Code);
            var note = (x.FlagSet & ScoreFlags.Appraised) != 0 ? "Điểm do Hội đồng/cơ quan thẩm định xác định"
                : s.Points != x.Points || s.LevelMet != x.LevelMet ? "Điều chỉnh khi thẩm định" : null;
            var parts = new[] { note }.Concat(reasons[node.Code]).Where(t => t is not null).ToList();
            rows.Add(new ResultRow(node.Code, node.Name, depth, node.IsGroup, node.Max, s.Points, a.Points, x.Points, s.LevelMet, a.LevelMet, x.LevelMet,
                node.IsGroup || parts.Count == 0 ? null : string.Join(". ", parts)));
            foreach (var c in node.Children) Walk(c, depth + 1);
        }
        foreach (var n in set.Tree) Walk(n, 0);
        return rows;
    }

    public static string RowsJson(IReadOnlyList<ResultRow> rows) => JsonSerializer.Serialize(rows, ReviewScoring.Json);

    public static IReadOnlyList<ResultRow> ReadRows(string json) => JsonSerializer.Deserialize<List<ResultRow>>(json, ReviewScoring.Json) ?? [];

    public static string Number(decimal d) => VnFormat.Number(d);

    public static string Invariant(int n) => n.ToString(CultureInfo.InvariantCulture);
}
