using System.Text.Encodings.Web;
using System.Text.Json;

namespace DtiPortal.Domain.Scoring;

/// <summary>
/// The JSON shape `dti score` prints:
/// {"set":ID,"units":[{"unit":CODE,"total":n,"level":n|null,"nodes":[{"code","points","max","flags":[…],"explanation"}],"missing":[…],"warnings":[{"code","rule","message","detail"}]}]}.
/// "flags" holds the engine's edge-case flags by name (Missing, DivisionByZero, RatioAbove100, NegativeInput, AboveMax,
/// ZeroDenominatorMax, Appraised), so a script need not parse the explanation text; it is empty when none applies.
/// Vietnamese is written unescaped so the output reads as text.
/// </summary>
public static class ScoreJson
{
    private static readonly JsonWriterOptions _options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static string Write(CohortResult cohort, bool indented = false)
    {
        using var stream = new MemoryStream();
        Write(cohort, stream, indented);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(CohortResult cohort, Stream stream, bool indented = false)
    {
        using var w = new Utf8JsonWriter(stream, _options with { Indented = indented });
        w.WriteStartObject();
        w.WriteString("set", cohort.SetId);
        w.WriteStartArray("units");
        foreach (var unit in cohort.Units)
        {
            w.WriteStartObject();
            w.WriteString("unit", unit.Unit);
            w.WriteNumber("total", unit.Total);
            if (unit.Level is { } level) w.WriteNumber("level", level);
            else w.WriteNull("level");
            w.WriteStartArray("nodes");
            foreach (var node in unit.Nodes)
            {
                w.WriteStartObject();
                w.WriteString("code", node.Code);
                w.WriteNumber("points", node.Points);
                w.WriteNumber("max", node.Max);
                w.WriteStartArray("flags");
                foreach (var flag in node.Flags) w.WriteStringValue(flag);
                w.WriteEndArray();
                w.WriteString("explanation", node.Explanation);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("missing");
            foreach (var m in unit.Missing) w.WriteStringValue(m);
            w.WriteEndArray();
            // Warning rules broken (spec §10); error rules are refused before scoring by whoever reads the values.
            w.WriteStartArray("warnings");
            foreach (var v in unit.RuleViolations.Where(v => v.Severity == Criteria.RuleSeverity.Warning))
            {
                w.WriteStartObject();
                w.WriteString("code", v.Code);
                w.WriteString("rule", v.Rule.Text);
                w.WriteString("message", v.Message);
                w.WriteString("detail", v.Detail);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
