using System.Text.Json;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests.Scoring;

public class ScoreJsonTests
{
    [Fact]
    public void Write_WhenCohortScored_HasTheCliShape()
    {
        var set = BuiltInLibraries.Load("hung-yen-commune-2024");
        var cohort = ScoringEngine.Score(set, [new UnitValues("XA-1", new Dictionary<string, object?> { ["1.1"] = 1, ["6.5"] = 72.5 })]);
        var json = ScoreJson.Write(cohort);

        Assert.Contains("Phương án 1", json); // Vietnamese unescaped
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(["set", "units"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("hung-yen-commune-2024", root.GetProperty("set").GetString());
        var unit = root.GetProperty("units")[0];
        Assert.Equal(["unit", "total", "level", "nodes", "missing", "warnings"], unit.EnumerateObject().Select(p => p.Name));
        Assert.Equal(49m, unit.GetProperty("total").GetDecimal()); // 20 + 72,5% × 40 = 29
        Assert.Equal(JsonValueKind.Null, unit.GetProperty("level").ValueKind);
        var node = unit.GetProperty("nodes")[1];
        Assert.Equal(["code", "points", "max", "flags", "explanation"], node.EnumerateObject().Select(p => p.Name));
        Assert.Equal("1.1", node.GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Number, node.GetProperty("points").ValueKind);
        Assert.Equal(JsonValueKind.Array, unit.GetProperty("missing").ValueKind);
        Assert.Empty(node.GetProperty("flags").EnumerateArray()); // 1.1 entered and in range
    }

    [Fact]
    public void Write_WhenNodeIsFlagged_ListsTheFlagsByName()
    {
        var set = BuiltInLibraries.Load("hung-yen-commune-2024");
        var cohort = ScoringEngine.Score(set, [new UnitValues("XA-1", new Dictionary<string, object?> { ["1.2.a"] = 5, ["1.2.b"] = 4 })]);
        using var doc = JsonDocument.Parse(ScoreJson.Write(cohort));
        var nodes = doc.RootElement.GetProperty("units")[0].GetProperty("nodes").EnumerateArray()
            .ToDictionary(n => n.GetProperty("code").GetString()!, n => n.GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToList());
        Assert.Equal(["RatioAbove100"], nodes["1.2"]);
        Assert.Equal(["Missing"], nodes["1.3"]);
    }
}
