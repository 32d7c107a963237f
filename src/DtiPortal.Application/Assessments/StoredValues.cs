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

    public static StoredValue ToStored(Row r, EntrySet set) =>
        new(r.Address, ValueText.FromJson(r.ValueJson, set.Specs.GetValueOrDefault(r.Address)), r.Version, r.UpdatedAt, r.UpdatedByName);

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
            if (r.Address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal))
                general[r.Address[AssessmentValue.GeneralPrefix.Length..]] = value;
            else values[r.Address] = value;
        }
        return new UnitValues(unit, values, general);
    }
}
