using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Domain.Tests;

/// <summary>Small inline criteria sets for the engine and loader tests.</summary>
internal static class TestSets
{
    public const string Header = """
        format: dti-criteria/1
        id: test-set
        version: 1
        name: Bộ thử
        level: commune
        decision: { number: 1/QĐ-TEST, date: 2024-01-01, issuer: Bộ thử nghiệm }

        """;

    /// <summary>A set with one group "1" holding one criterion "1.1" whose method lines are <paramref name="body"/>.</summary>
    public static string OneCriterionYaml(string body, decimal max = 20)
    {
        var indented = string.Join("\n", body.Trim('\n').Split('\n').Select(l => "        " + l));
        return Header + $"""
            maxPoints: {max}
            tree:
              - code: "1"
                name: Nhóm
                max: {max}
                children:
                  - code: "1.1"
                    name: Tiêu chí thử
                    max: {max}

            """ + indented + "\n";
    }

    public static CriteriaSet Load(string yaml)
    {
        var result = CriteriaSetLoader.Parse(yaml);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Set!;
    }

    public static CriteriaSet OneCriterion(string body, decimal max = 20) => Load(OneCriterionYaml(body, max));

    public static Dictionary<string, object?> V(params (string Key, object? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    public static UnitResult ScoreOne(CriteriaSet set, params (string Key, object? Value)[] values) =>
        ScoringEngine.Score(set, [new UnitValues("XA-1", V(values))]).Units[0];
}
