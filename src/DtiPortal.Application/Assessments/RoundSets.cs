using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Data;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Assessments;

/// <summary>A criterion whose ratio is exactly "x/y" of two of its inputs: x is a part of y, so x may not exceed y.</summary>
public sealed record PartWhole(string CriterionCode, string PartAddress, string PartLabel, string WholeAddress, string WholeLabel, string? WholeGeneralAddress);

/// <summary>
/// A round's criteria set with what data entry needs precomputed: the spec of every address a unit may store
/// (criterion inputs as printed, general items as "general:CODE"), the criterion each address belongs to, and the
/// part/whole pairs. Built once per stored version id (a published version never changes).
/// </summary>
public sealed class EntrySet
{
    private static readonly Regex SimpleRatio = new(@"^([A-Za-z][A-Za-z0-9]*)/([A-Za-z][A-Za-z0-9]*)$", RegexOptions.CultureInvariant);

    public EntrySet(int versionId, CriteriaSet set)
    {
        VersionId = versionId;
        Set = set;
        var specs = new Dictionary<string, ValueSpec>(StringComparer.Ordinal);
        var criterionOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var byCriterion = new Dictionary<string, List<ValueAddress>>(StringComparer.Ordinal);
        foreach (var g in set.General)
            specs[AssessmentValue.GeneralPrefix + g.Code] = new ValueSpec(AssessmentValue.GeneralPrefix + g.Code, g.Label, g.Type);
        foreach (var a in set.ValueAddresses)
        {
            var node = set.Find(a.Code);
            decimal? maxPoints = node?.Method?.Kind == MethodKind.Direct ? node.Max : null;
            specs[a.Address] = new ValueSpec(a.Address, a.Label, a.Type, a.OptionCount, a.IsList, maxPoints);
            criterionOf[a.Address] = a.Code;
            if (!byCriterion.TryGetValue(a.Code, out var list)) byCriterion[a.Code] = list = [];
            list.Add(a);
        }
        Specs = specs;
        GeneralCodeOf = set.General.ToDictionary(g => AssessmentValue.GeneralPrefix + g.Code, g => g.Code, StringComparer.Ordinal);
        CriterionOf = criterionOf;
        AddressesOf = byCriterion.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<ValueAddress>)kv.Value, StringComparer.Ordinal);
        Criteria = set.AllNodes.Where(n => !n.IsGroup).ToList();

        var pairs = new List<PartWhole>();
        foreach (var node in Criteria)
        {
            var expr = node.Method?.Ratio ?? (node.Method is null ? node.Value?.Ratio : null);
            if (expr is null) continue;
            var m = SimpleRatio.Match(expr.Source.Replace(" ", ""));
            if (!m.Success || !AddressesOf.TryGetValue(node.Code, out var inputs)) continue;
            var x = inputs.FirstOrDefault(i => i.Key == m.Groups[1].Value);
            var y = inputs.FirstOrDefault(i => i.Key == m.Groups[2].Value);
            if (x is null || y is null) continue;
            pairs.Add(new PartWhole(node.Code, x.Address, x.Label, y.Address, y.Label,
                y.General is { } g ? AssessmentValue.GeneralPrefix + g.Code : null));
        }
        PartWholes = pairs;
    }

    public int VersionId { get; }
    public CriteriaSet Set { get; }
    /// <summary>Every address a value may be stored at.</summary>
    public IReadOnlyDictionary<string, ValueSpec> Specs { get; }
    /// <summary>The printed code of each general item by its address ("general:1.5" → "1.5"), the set's own strings.</summary>
    public IReadOnlyDictionary<string, string> GeneralCodeOf { get; }
    /// <summary>Criterion code of each criterion input address (general items are in no criterion).</summary>
    public IReadOnlyDictionary<string, string> CriterionOf { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<ValueAddress>> AddressesOf { get; }
    /// <summary>Leaf criteria in document order.</summary>
    public IReadOnlyList<CriterionNode> Criteria { get; }
    public IReadOnlyList<PartWhole> PartWholes { get; }

    /// <summary>The pairs an address takes part in, as the part, the whole, or the general item the whole defaults to.</summary>
    public IEnumerable<PartWhole> PairsOf(string address) =>
        PartWholes.Where(p => p.PartAddress == address || p.WholeAddress == address || p.WholeGeneralAddress == address);
}

/// <summary>Parsed sets by stored version id, shared by every circuit (singleton): an autosave never re-reads a set's YAML.</summary>
public sealed class RoundSetCache(CriteriaSetCache parsed)
{
    private readonly ConcurrentDictionary<int, EntrySet> _sets = new();

    public async Task<EntrySet> GetAsync(DtiDbContext db, int versionId, CancellationToken ct)
    {
        if (_sets.TryGetValue(versionId, out var cached)) return cached;
        var row = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.Id == versionId)
            .Select(v => new { v.Sha256, v.Yaml }).SingleAsync(ct);
        var entry = new EntrySet(versionId, parsed.GetOrParse(row.Sha256, row.Yaml));
        return _sets.GetOrAdd(versionId, entry);
    }
}
