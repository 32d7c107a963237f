using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace DtiPortal.Domain.Criteria;

/// <summary>
/// Writes a loaded <see cref="CriteriaSet"/> back as <c>dti-criteria/1</c> YAML (docs/criteria-format.md), so that a set
/// built elsewhere than in a YAML file (the criteria workbook, the studio's editor) is stored in the one format the portal
/// keeps. Everything the model holds is written; <see cref="CriteriaSetLoader.Parse"/> of the output gives a set with the
/// same tree, parameters and texts. YAML comments and <c>x-</c> keys are not in the model and so are not written.
/// </summary>
public static class CriteriaSetYamlWriter
{
    private static readonly CultureInfo _inv = CultureInfo.InvariantCulture;

    public static string Write(CriteriaSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var root = new YamlMappingNode
        {
            { "format", Plain(CriteriaSetLoader.FormatName) },
            { "id", Plain(set.Id) },
            { "version", Plain(set.Version.ToString(_inv)) },
            { "name", Text(set.Name) },
            { "level", Plain(set.Level) },
        };
        if (set.Year is { } year) root.Add("year", Plain(year.ToString(_inv)));
        var decision = new YamlMappingNode { { "number", Text(set.Decision.Number) } };
        if (set.Decision.Date is { } date) decision.Add("date", Plain(Iso(date)));
        decision.Add("issuer", Text(set.Decision.Issuer));
        if (set.Decision.EffectiveFrom is { } from) decision.Add("effectiveFrom", Plain(Iso(from)));
        if (set.Decision.EffectiveTo is { } to) decision.Add("effectiveTo", Plain(Iso(to)));
        root.Add("decision", decision);
        if (set.Source is { } source) root.Add("source", Text(source));
        if (set.MaxPoints is { } maxPoints) root.Add("maxPoints", Plain(Dec(maxPoints)));
        if (set.Levels.Count > 0)
        {
            var levels = new YamlSequenceNode();
            foreach (var l in set.Levels)
                levels.Add(Flow(new YamlMappingNode { { "level", Plain(l.Level.ToString(_inv)) }, { "name", Text(l.Name) } }));
            root.Add("levels", levels);
        }
        if (set.General.Count > 0)
        {
            var general = new YamlSequenceNode();
            foreach (var g in set.General)
            {
                var item = new YamlMappingNode { { "code", Text(g.Code) }, { "key", Plain(g.Key) }, { "label", Text(g.Label) } };
                if (g.Unit is { } unit) item.Add("unit", Text(unit));
                item.Add("type", Plain(TypeName(g.Type)));
                general.Add(Flow(item));
            }
            root.Add("general", general);
        }
        var tree = new YamlSequenceNode();
        foreach (var node in set.Tree) tree.Add(WriteNode(node, set.MaxPoints is not null));
        root.Add("tree", tree);
        if (set.ValidationRules.Count > 0)
        {
            var rules = new YamlSequenceNode();
            foreach (var rule in set.ValidationRules)
            {
                rules.Add(new YamlMappingNode
                {
                    { "code", Text(rule.Code) },
                    { "rule", Text(rule.Text) },
                    { "message", Text(rule.Message) },
                    { "severity", Plain(ValidationRule.SeverityName(rule.Severity)) },
                });
            }
            root.Add("validation_rules", rules);
        }

        return Emit(root);
    }

    /// <summary>A YAML document as text in the style of the shipped libraries (wide lines, no document end marker).</summary>
    public static string Emit(YamlNode root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var stream = new YamlStream(new YamlDocument(root));
        using var writer = new StringWriter(_inv);
        // Wide lines: Vietnamese labels stay on one line, as a transcriber would write them.
        stream.Save(new Emitter(writer, new EmitterSettings(2, int.MaxValue, false, 1024, false, false, "\n")), assignAnchors: false);
        var text = writer.ToString();
        // YamlDotNet ends a document with "...": the loader accepts it, but a person reading the file does not expect it.
        if (text.EndsWith("...\n", StringComparison.Ordinal)) text = text[..^4];
        return text;
    }

    private static YamlMappingNode WriteNode(CriterionNode node, bool pointsSet)
    {
        var map = new YamlMappingNode
        {
            { "code", Text(node.Code) },
            { "kind", Plain(node.Kind.ToString().ToLowerInvariant()) },
            { "name", Text(node.Name) },
        };
        if (node.IsGroup ? pointsSet || node.Max != 0 : node.Method is not null || node.Max != 0)
            map.Add("max", Plain(Dec(node.Max)));
        if (node.IsGroup)
        {
            var children = new YamlSequenceNode();
            foreach (var child in node.Children) children.Add(WriteNode(child, pointsSet));
            map.Add("children", children);
        }
        if (node.Method is { } m) WriteMethod(map, m);
        if (node.Inputs.Count > 0)
        {
            var inputs = new YamlSequenceNode();
            foreach (var i in node.Inputs)
            {
                var item = new YamlMappingNode { { "key", Plain(i.Key) }, { "label", Text(i.Label) } };
                if (i.Unit is { } unit) item.Add("unit", Text(unit));
                item.Add("type", Plain(TypeName(i.Type)));
                if (i.General is { } general) item.Add("general", Plain(general));
                inputs.Add(Flow(item));
            }
            map.Add("inputs", inputs);
        }
        var d = node.Details;
        if (d.Evidence.Count > 0) map.Add("evidence", TextList(d.Evidence));
        if (d.EvidenceRequired) map.Add("evidenceRequired", Plain("true"));
        if (d.DataSource is { } dataSource) map.Add("dataSource", Text(dataSource));
        if (d.Lead is { } lead) map.Add("lead", Text(lead));
        if (d.Coordinating.Count > 0) map.Add("coordinating", TextList(d.Coordinating));
        if (d.Period is not ["year"]) map.Add("period", Flow(new YamlSequenceNode(d.Period.Select(p => (YamlNode)Plain(p)))));
        if (d.LegalBasis is { } legalBasis) map.Add("legalBasis", Text(legalBasis));
        if (d.Note is { } note) map.Add("note", Text(note));
        if (d.Formula is { } formula) map.Add("formula", Text(formula));
        WriteLevelPart(map, node);
        return map;
    }

    private static void WriteMethod(YamlMappingNode map, ScoringMethod m)
    {
        map.Add("method", Plain(m.Name));
        if (m.Ratio is { } ratio) map.Add("ratio", Text(ratio.Source));
        if (m.Count is { } count) map.Add("count", Text(count.Source));
        if (m.Target is { } target) map.Add("target", Text(Percent(target)));
        if (m.Lower is { } lower) map.Add("lower", Text(Percent(lower)));
        if (m.Kind is MethodKind.RatioSteps or MethodKind.CountTiers)
        {
            var seq = new YamlSequenceNode();
            foreach (var t in m.Thresholds)
            {
                var item = new YamlMappingNode { { "min", m.Kind == MethodKind.RatioSteps ? Text(Percent(t.Min)) : Plain(Dec(t.Min)) } };
                AddShare(item, t.Fraction, t.Points);
                seq.Add(Flow(item));
            }
            map.Add(m.Kind == MethodKind.RatioSteps ? "steps" : "tiers", seq);
        }
        if (m.Kind == MethodKind.Choice)
        {
            var seq = new YamlSequenceNode();
            foreach (var o in m.Options)
            {
                var item = new YamlMappingNode { { "label", Text(o.Label) } };
                AddShare(item, o.Fraction, o.Points);
                seq.Add(Flow(item));
            }
            map.Add("options", seq);
        }
        if (m.Kind == MethodKind.Parts)
        {
            var seq = new YamlSequenceNode();
            foreach (var p in m.Parts)
            {
                var item = new YamlMappingNode { { "key", Plain(p.Key) }, { "label", Text(p.Label) } };
                AddShare(item, p.Fraction, p.Points);
                seq.Add(Flow(item));
            }
            map.Add("parts", seq);
        }
        if (m.Kind == MethodKind.CappedCount && m.PointsEach is { } each) map.Add("pointsEach", Plain(Dec(each)));
        if (m.Kind == MethodKind.PeerRelative) map.Add("mode", Plain(m.Mode == PeerMode.Best ? "best" : "min-max"));
        if (m.ZeroDenominator == ZeroDenominatorRule.Max) map.Add("zeroDenominator", Plain("max"));
        if (m.Requires is { } requires) map.Add("requires", Plain(requires));
    }

    private static void WriteLevelPart(YamlMappingNode map, CriterionNode node)
    {
        switch (node.Value)
        {
            case null or { Kind: LevelValueKind.Single }:
                break; // a single input is what the loader assumes when no value is written
            case { Kind: LevelValueKind.Ratio, Ratio: { } ratio }:
                map.Add("value", Flow(new YamlMappingNode { { "ratio", Text(ratio.Source) } }));
                break;
            case { Kind: LevelValueKind.Present, Input: var input }:
                map.Add("value", Flow(new YamlMappingNode { { "present", Plain(input ?? "true") } }));
                break;
            case { Kind: LevelValueKind.Count, Input: var input }:
                map.Add("value", Flow(new YamlMappingNode { { "count", Plain(input ?? "true") } }));
                break;
            case { Kind: LevelValueKind.LowerLevels }:
                map.Add("value", Flow(new YamlMappingNode { { "lowerLevels", Plain("true") } }));
                break;
        }
        // With an aggregate rule the loader fills every level not written with the rule: write only the others (na).
        var levels = new YamlMappingNode();
        foreach (var (level, req) in node.LevelRequirements.OrderBy(kv => kv.Key))
        {
            if (req is LevelRequirement.Aggregate) continue;
            levels.Add(Plain(level.ToString(_inv)), Requirement(req));
        }
        if (levels.Children.Count > 0) map.Add("levels", levels);
        if (node.Aggregate is { } a)
            map.Add("aggregate", Flow(new YamlMappingNode
            {
                { "allAtLeastPrevious", Text(Percent(a.AllAtLeastPrevious)) },
                { "atLeast", Text(Percent(a.AtLeast)) },
            }));
    }

    /// <summary>A requirement in the YAML form the loader reads (spec §6).</summary>
    public static YamlNode Requirement(LevelRequirement req)
    {
        static YamlMappingNode WithOf(YamlMappingNode m, string? of)
        {
            if (of is not null) m.Add("of", Plain(of));
            return Flow(m);
        }
        return req switch
        {
            LevelRequirement.NotApplicable => Plain("na"),
            LevelRequirement.Present { Of: null } => Plain("present"),
            LevelRequirement.Present p => Flow(new YamlMappingNode { { "present", Plain(p.Of!) } }),
            LevelRequirement.Min m => WithOf(new YamlMappingNode { { "min", Text(Percent(m.Value)) } }, m.Of),
            LevelRequirement.MinCount c => WithOf(new YamlMappingNode { { "minCount", Plain(Dec(c.Value)) } }, c.Of),
            LevelRequirement.Any any => Flow(new YamlMappingNode { { "any", new YamlSequenceNode(any.Items.Select(Requirement)) } }),
            LevelRequirement.All all => Flow(new YamlMappingNode { { "all", new YamlSequenceNode(all.Items.Select(Requirement)) } }),
            _ => throw new ArgumentOutOfRangeException(nameof(req), req, "Yêu cầu theo mức không ghi được"),
        };
    }

    private static void AddShare(YamlMappingNode item, decimal? fraction, decimal? points)
    {
        if (fraction is { } f) item.Add("fraction", Plain(Fraction(f)));
        else item.Add("points", Plain(Dec(points ?? 0)));
    }

    /// <summary>A share of max as the texts print it: "1/3" when it is exactly a small fraction, else the decimal.</summary>
    public static string Fraction(decimal f)
    {
        if (f is 0 or 1 || decimal.Round(f, 2) == f) return Dec(f);
        for (var den = 2; den <= 12; den++)
        {
            var num = decimal.Round(f * den);
            if (num / den == f) return $"{num.ToString(_inv)}/{den.ToString(_inv)}";
        }
        return Dec(f);
    }

    /// <summary>A fraction as a percentage written as in the text: 0.8 → "80%", 0.0025 → "0.25%".</summary>
    public static string Percent(decimal fraction) => Dec(fraction * 100) + "%";

    /// <summary>An exact decimal without trailing zeros (80.00 → 80), invariant.</summary>
    public static string Dec(decimal value) => value.ToString("0.############################", _inv);

    public static string TypeName(InputType type) => type.ToString().ToLowerInvariant();

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", _inv);

    private static YamlScalarNode Plain(string text) => new(text) { Style = ScalarStyle.Plain };

    /// <summary>Free text always double-quoted: a name such as "no", "null" or "1.10" must come back as the same text.</summary>
    private static YamlScalarNode Text(string text) => new(text) { Style = ScalarStyle.DoubleQuoted };

    private static YamlSequenceNode TextList(IEnumerable<string> items) => Flow(new YamlSequenceNode(items.Select(i => (YamlNode)Text(i))));

    private static T Flow<T>(T node) where T : YamlNode
    {
        switch (node)
        {
            case YamlMappingNode m: m.Style = MappingStyle.Flow; break;
            case YamlSequenceNode s: s.Style = SequenceStyle.Flow; break;
        }
        return node;
    }
}
