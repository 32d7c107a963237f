using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// The three scores of seed 004's columns for an assessment under review: self-assessed (the unit's values), appraised
/// (the first reviewing tier's corrections: the district, or the council in a round without districts) and achieved (every
/// tier's corrections, the council's last). Peer-relative criteria compare each unit with the round's cohort at the same
/// stage (every unit with its own corrections), read as the system; only the asked units' results leave this class.
/// </summary>
public sealed class ReviewScoring(IServiceScopeFactory scopes, UnitHierarchy hierarchy)
{
    public enum Stage { Self, Appraised, Achieved }

    /// <summary>The raw values and the current appraisals of a set of assessments (the whole round when the set compares peers).</summary>
    public sealed record Cohort(IReadOnlyList<int> Ids, IReadOnlyDictionary<int, UnitValues> Raw, ILookup<int, CriterionAppraisal> Appraisals);

    public static bool ComparesPeers(EntrySet set) => set.Criteria.Any(c => c.Method?.Kind == MethodKind.PeerRelative);

    /// <summary>
    /// Loads the cohort needed to score <paramref name="assessmentIds"/>: just them when the set has no peer-relative criterion,
    /// else every assessment of the round (read as the system; the caller must only return results of units it may see).
    /// </summary>
    public async Task<Cohort> LoadAsync(int roundId, IReadOnlyCollection<int> assessmentIds, EntrySet set, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DbContextOptions<DtiDbContext>>();
        await using var system = new DtiDbContext(options, FixedUnitScope.System);
        List<int> ids = ComparesPeers(set)
            ? await system.Assessments.AsNoTracking().Where(a => a.RoundId == roundId).Select(a => a.Id).ToListAsync(ct)
            : [.. assessmentIds];
        var rows = (await StoredValues.LoadAsync(system, ids, ct)).ToLookup(r => r.AssessmentId);
        var appraisals = await system.CriterionAppraisals.AsNoTracking().Where(x => ids.Contains(x.AssessmentId)).ToListAsync(ct);
        var raw = ids.ToDictionary(id => id, id => StoredValues.ToUnitValues(Key(id), rows[id], set));
        return new Cohort(ids, raw, appraisals.ToLookup(a => a.AssessmentId));
    }

    public static string Key(int assessmentId) => assessmentId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Scores the whole cohort at a stage (each unit with its own corrections up to that stage).</summary>
    public static CohortResult Score(EntrySet set, Cohort cohort, Stage stage, bool hasDistrictTier,
        IReadOnlyDictionary<int, IReadOnlyDictionary<string, object?>>? extra = null)
    {
        var units = cohort.Ids.Select(id =>
        {
            var v = stage == Stage.Self ? cohort.Raw[id] : Overlay(cohort.Raw[id], cohort.Appraisals[id], set, stage, hasDistrictTier);
            if (stage != Stage.Self && extra is not null && extra.TryGetValue(id, out var more)) v = With(v, more);
            return v;
        }).ToList();
        return ScoringEngine.Score(set.Set, units);
    }

    /// <summary>The unit's values with the reviewers' corrections laid over them (district first, then the council).</summary>
    public static UnitValues Overlay(UnitValues raw, IEnumerable<CriterionAppraisal> appraisals, EntrySet set, Stage stage, bool hasDistrictTier)
    {
        var tiers = stage switch
        {
            Stage.Self => [],
            Stage.Appraised => hasDistrictTier ? new[] { ReviewTier.District } : [ReviewTier.Council],
            _ => [ReviewTier.District, ReviewTier.Council],
        };
        var values = new Dictionary<string, object?>(raw.Values, StringComparer.Ordinal);
        var general = raw.General is null ? new Dictionary<string, object?>(StringComparer.Ordinal) : new Dictionary<string, object?>(raw.General, StringComparer.Ordinal);
        var points = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var tier in tiers)
        {
            foreach (var a in appraisals.Where(a => a.Tier == tier && a.Verdict == AppraisalVerdict.Corrected))
            {
                foreach (var (address, json) in ReadCorrections(a.CorrectedValuesJson))
                {
                    if (!set.Specs.TryGetValue(address, out var spec)) continue;
                    var value = ValueText.FromJson(json, spec);
                    if (address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal))
                        general[address[AssessmentValue.GeneralPrefix.Length..]] = value;
                    else values[address] = value;
                }
                if (a.CorrectedPoints is { } p) points[a.CriterionCode] = p;
                else points.Remove(a.CriterionCode); // corrected inputs at a later tier: computed again
            }
        }
        return new UnitValues(raw.Unit, values, general, points.Count > 0 ? points : null);
    }

    private static UnitValues With(UnitValues v, IReadOnlyDictionary<string, object?> more)
    {
        var values = new Dictionary<string, object?>(v.Values, StringComparer.Ordinal);
        foreach (var (k, x) in more) values[k] = x;
        return v with { Values = values };
    }

    /// <summary>Corrected inputs as address → JSON text.</summary>
    public static IReadOnlyDictionary<string, string?> ReadCorrections(string? json)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json)) return result;
        if (JsonNode.Parse(json) is JsonObject obj)
            foreach (var (k, node) in obj) result[k] = node?.ToJsonString();
        return result;
    }

    public static string? WriteCorrections(IReadOnlyDictionary<string, object?> values)
    {
        if (values.Count == 0) return null;
        var obj = new JsonObject();
        foreach (var (k, v) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            obj[k] = ValueText.ToJson(v) is { } j ? JsonNode.Parse(j) : null;
        return obj.ToJsonString();
    }

    /// <summary>
    /// A district's general criterion reads its communes' recognised levels (DOMAIN.md §4b): for a set with a
    /// "lower levels" input, the levels recognised for the communes under the district in the same year and province
    /// (a commune without a recognised level counts as 0). Empty when the set has no such input or the unit has no communes.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, object?>> LowerLevelsAsync(Assessment assessment, AssessmentRound round, EntrySet set, CancellationToken ct)
    {
        var list = set.Specs.Values.Where(s => s.IsList).Select(s => s.Address).ToList();
        if (list.Count == 0) return new Dictionary<string, object?>();
        if (hierarchy.ChildrenOf(assessment.UnitId).Count == 0) return new Dictionary<string, object?>();
        await using var scope = scopes.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DbContextOptions<DtiDbContext>>();
        await using var system = new DtiDbContext(options, FixedUnitScope.System);
        // The communes that existed in the round's year (a commune merged away earlier is not counted).
        var first = new DateOnly(round.Year, 1, 1);
        var last = new DateOnly(round.Year, 12, 31);
        var children = await system.Units.AsNoTracking()
            .Where(u => u.ParentId == assessment.UnitId && (u.ValidFrom == null || u.ValidFrom <= last) && (u.ValidTo == null || u.ValidTo >= first))
            .Select(u => u.Id).ToListAsync(ct);
        if (children.Count == 0) return new Dictionary<string, object?>();
        var recognised = await system.Assessments.AsNoTracking()
            .Where(a => children.Contains(a.UnitId) && a.Round!.Year == round.Year && a.Round.ProvinceUnitId == round.ProvinceUnitId
                        && a.Round.Id != round.Id && a.RecognisedLevel != null
                        && (a.Status == AssessmentStatus.Approved || a.Status == AssessmentStatus.Published))
            .Select(a => new { a.UnitId, a.RecognisedLevel }).ToListAsync(ct);
        var byUnit = recognised.GroupBy(r => r.UnitId).ToDictionary(g => g.Key, g => g.Max(r => r.RecognisedLevel!.Value));
        var levels = children.Select(c => byUnit.GetValueOrDefault(c, 0)).ToArray();
        return list.ToDictionary(a => a, _ => (object?)levels);
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
