using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests.Scoring;

/// <summary>
/// Issue 17: <see cref="ScoringEngine.Rescore"/> scores only the units whose values changed, unless a peer-relative
/// criterion's range moves. Whatever path it takes, its result must be exactly what scoring the whole cohort gives: checked
/// here on random cohorts of the three built-in sets that compare peers, with random edits (small changes, new extremes,
/// cleared values, appraised points).
/// </summary>
public class RescoreTests
{
    public static TheoryData<string> PeerSets => new() { "hung-yen-commune-2024", "bac-giang-district-2024", "gia-lai-district-2023" };

    [Theory]
    [MemberData(nameof(PeerSets))]
    public void Rescore_WhenUnitsChange_EqualsScoringTheWholeCohort(string setId)
    {
        var set = BuiltInLibraries.Load(setId);
        Assert.Contains(set.AllNodes, n => n.Method?.Kind == MethodKind.PeerRelative);
        var random = new Random(17);
        var units = Enumerable.Range(1, 30).Select(i => RandomUnit(set, $"U{i:D3}", random, filled: i % 7 != 0)).ToList();
        var previous = ScoringEngine.Score(set, units).Units;
        int incremental = 0, whole = 0;

        for (var step = 0; step < 150; step++)
        {
            var changed = Enumerable.Range(0, random.Next(1, 3)).Select(_ => random.Next(units.Count)).Distinct().ToList();
            foreach (var i in changed) units[i] = Edit(set, units[i], random);

            var rescored = ScoringEngine.Rescore(set, units, previous, changed).Units;
            var expected = ScoringEngine.Score(set, units).Units;

            for (var u = 0; u < units.Count; u++) AssertSame(expected[u], rescored[u], $"bước {step}, đơn vị {units[u].Unit}");
            var kept = Enumerable.Range(0, units.Count).Where(u => !changed.Contains(u)).ToList();
            if (kept.All(u => ReferenceEquals(previous[u], rescored[u]))) incremental++;
            else whole++;
            previous = rescored;
        }

        // Both paths ran: most edits leave the peers' ranges alone, some move them.
        Assert.True(incremental > 50, $"chỉ {incremental} lần chấm lại riêng đơn vị thay đổi");
        Assert.True(whole > 0, "không lần nào chấm lại cả nhóm");
    }

    [Fact]
    public void Rescore_WhenPreviousDoesNotMatchTheUnits_Refuses()
    {
        var set = BuiltInLibraries.Load("hung-yen-commune-2024");
        var random = new Random(1);
        var units = Enumerable.Range(1, 3).Select(i => RandomUnit(set, $"U{i}", random, filled: true)).ToList();
        var previous = ScoringEngine.Score(set, units).Units;

        Assert.Throws<ArgumentException>(() => ScoringEngine.Rescore(set, units[..2], previous, [0]));
        Assert.Throws<ArgumentException>(() => ScoringEngine.Rescore(set, [units[1], units[0], units[2]], previous, [0]));
        Assert.Throws<ArgumentException>(() => ScoringEngine.Rescore(set, units, previous, [3]));
    }

    private static void AssertSame(UnitResult expected, UnitResult actual, string where)
    {
        Assert.True(expected.Total == actual.Total, $"{where}: tổng {expected.Total} ≠ {actual.Total}");
        Assert.True(expected.Level == actual.Level, $"{where}: mức {expected.Level} ≠ {actual.Level}");
        for (var n = 0; n < expected.Nodes.Count; n++)
        {
            var (e, a) = (expected.Nodes[n], actual.Nodes[n]);
            // The explanation shows the peers' range for a peer-relative criterion.
            Assert.True(e.Points == a.Points && e.FlagSet == a.FlagSet && e.Ratio == a.Ratio && e.Explanation == a.Explanation,
                $"{where}, {e.Code}: {e.Points}/{e.FlagSet} «{e.Explanation}» ≠ {a.Points}/{a.FlagSet} «{a.Explanation}»");
        }
    }

    /// <summary>Random figures for a unit (or none at all: a draft nobody filled).</summary>
    private static UnitValues RandomUnit(CriteriaSet set, string code, Random random, bool filled)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        var general = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (filled)
        {
            foreach (var g in set.General) general[g.Code] = GeneralValue(g, random);
            foreach (var a in set.ValueAddresses.Where(a => a.General is null)) values[a.Address] = Value(a, random);
        }
        return new UnitValues(code, values, general);
    }

    /// <summary>Changes a few of the unit's figures: slightly, to a new extreme, or clears them; sometimes appraises a criterion.</summary>
    private static UnitValues Edit(CriteriaSet set, UnitValues unit, Random random)
    {
        var values = new Dictionary<string, object?>(unit.Values, StringComparer.Ordinal);
        var general = new Dictionary<string, object?>(unit.General ?? new Dictionary<string, object?>(), StringComparer.Ordinal);
        var addresses = set.ValueAddresses.Where(a => a.General is null).ToList();
        for (var k = random.Next(1, 4); k > 0; k--)
        {
            var a = addresses[random.Next(addresses.Count)];
            switch (random.Next(10))
            {
                case 0: values.Remove(a.Address); break;
                case 1 when a.Type is InputType.Integer or InputType.Number: values[a.Address] = a.Key == "a" ? 0 : 5_000; break;
                default: values[a.Address] = Value(a, random); break;
            }
        }
        if (set.General.Count > 0 && random.Next(4) == 0)
        {
            var g = set.General[random.Next(set.General.Count)];
            general[g.Code] = GeneralValue(g, random);
        }
        var points = unit.Points;
        if (random.Next(8) == 0)
        {
            var leaf = set.AllNodes.Where(n => !n.IsGroup).ElementAt(random.Next(set.AllNodes.Count(n => !n.IsGroup)));
            points = new Dictionary<string, decimal> { [leaf.Code] = Math.Round(leaf.Max / 2, 2) };
        }
        return new UnitValues(unit.Unit, values, general, points);
    }

    private static object GeneralValue(GeneralItem g, Random random) => g.Type switch
    {
        InputType.Text => "Văn bản",
        InputType.Date => "2024-12-01",
        InputType.Percent => Math.Round(random.NextDouble() * 100, 1),
        _ => random.Next(500, 12_000),
    };

    private static object Value(ValueAddress a, Random random)
    {
        if (a.IsList) return Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(1, 6)).ToArray();
        if (a.OptionCount > 0) return random.Next(1, a.OptionCount + 1);
        return a.Type switch
        {
            InputType.Boolean => random.Next(3) > 0,
            InputType.Percent => Math.Round(random.NextDouble() * 100, 1),
            InputType.Number or InputType.Money => Math.Round(random.NextDouble() * 500, 2),
            _ => a.Key == "a" || a.Key == a.Address ? random.Next(0, 400) : random.Next(300, 800),
        };
    }
}
