using DtiPortal.Application.Data;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Assessments;

/// <summary>Reads stored values back: for the entry page (<see cref="StoredValue"/>) and for the scoring engine (<see cref="UnitValues"/>).</summary>
internal static class StoredValues
{
    public sealed record Row(int AssessmentId, string Address, string? ValueJson, int Version, DateTimeOffset UpdatedAt, string? UpdatedByName);

    public static Task<List<Row>> LoadAsync(DtiDbContext db, IReadOnlyCollection<int> assessmentIds, CancellationToken ct) =>
        db.AssessmentValues.AsNoTracking().Where(v => assessmentIds.Contains(v.AssessmentId))
            .Select(v => new Row(v.AssessmentId, v.Address, v.ValueJson, v.Version, v.UpdatedAt, v.UpdatedByName)).ToListAsync(ct);

    /// <summary>
    /// One stored value for a page. The address is the set's own string and a name read before in the same load is that
    /// string again: an open entry page keeps its values, and each row's copies of the same texts add up over thousands of
    /// open pages (issue 17). <paramref name="names"/> is one load's table of names.
    /// </summary>
    public static StoredValue ToStored(Row r, EntrySet set, Dictionary<string, string>? names = null)
    {
        var spec = set.Specs.GetValueOrDefault(r.Address);
        return new(spec?.Address ?? r.Address, ValueText.FromJson(r.ValueJson, spec), r.Version, r.UpdatedAt, Shared(r.UpdatedByName, names));
    }

    /// <summary>The instance of <paramref name="text"/> already in <paramref name="table"/>, else <paramref name="text"/> (added).</summary>
    public static string? Shared(string? text, Dictionary<string, string>? table)
    {
        if (text is null || table is null) return text;
        if (table.TryGetValue(text, out var shared)) return shared;
        table[text] = text;
        return text;
    }

    /// <summary>
    /// The engine's view of one unit's stored values: general items by printed code, inputs by address. Values at addresses
    /// the set does not know (none can be stored; defensive for hand-edited rows) and cleared values are left out.
    /// </summary>
    public static UnitValues ToUnitValues(string unit, IEnumerable<Row> rows, EntrySet set)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var general = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var r in rows)
        {
            if (r.ValueJson is null || !set.Specs.TryGetValue(r.Address, out var spec)) continue;
            var value = ValueText.FromJson(r.ValueJson, spec);
            // Keys are the set's strings: the round's score cache keeps every unit's values (issue 17). Every general
            // address the set knows has its code there.
            if (set.GeneralCodeOf.TryGetValue(r.Address, out var generalCode)) general[generalCode] = value;
            else values[spec.Address] = value;
        }
        return new UnitValues(unit, values, general);
    }
}
