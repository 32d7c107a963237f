using System.Globalization;
using System.Text.RegularExpressions;
using DtiPortal.Domain.Criteria;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace DtiPortal.Application.Criteria.Studio;

/// <summary>A node of the draft's tree as the editor lists it: its path in the YAML (the loader's error paths start with it).</summary>
public sealed record DraftNode(string Path, int Depth, string Code, string Name, string Kind, string? Max, bool IsGroup, int ChildCount);

/// <summary>
/// The studio's editing model (issue 14): the draft's YAML through YamlDotNet's representation model, so every field the
/// format has survives an edit without a second model of the set. The editor changes one field at a time; validation is
/// <see cref="CriteriaSetLoader.Parse"/> of <see cref="ToYaml"/>, and its error paths (<c>tree[0].children[1].max</c>) name the
/// node. Comments of an uploaded file are not kept once the tree is edited in the form (the representation model has none).
/// </summary>
public sealed class DraftDocument
{
    /// <summary>Scalar parameters of a node, edited as text fields.</summary>
    public static readonly IReadOnlyList<string> ScalarKeys =
        ["code", "kind", "name", "max", "method", "ratio", "target", "lower", "count", "pointsEach", "mode", "zeroDenominator",
         "evidenceRequired", "dataSource", "lead", "legalBasis", "note"];

    /// <summary>Lists of strings, edited one item per line.</summary>
    public static readonly IReadOnlyList<string> ListKeys = ["evidence", "coordinating", "period"];

    /// <summary>Structured parameters (lists of mappings), edited as a short YAML block.</summary>
    public static readonly IReadOnlyList<string> BlockKeys = ["inputs", "options", "steps", "tiers", "parts", "value", "aggregate"];

    /// <summary>The scoring methods with their names in plain Vietnamese (DOMAIN.md §4a).</summary>
    public static readonly IReadOnlyList<(string Name, string Label)> Methods =
    [
        ("yesno", "Có/không: có → điểm tối đa, không → 0"),
        ("choice", "Chọn một phương án, mỗi phương án một tỷ lệ điểm"),
        ("ratio", "Tỷ lệ a/b × điểm tối đa"),
        ("ratio-target", "Tỷ lệ so với chỉ tiêu: đạt chỉ tiêu → tối đa, chưa đạt → tỷ lệ/chỉ tiêu × tối đa"),
        ("ratio-target-plain", "Tỷ lệ so với chỉ tiêu: đạt chỉ tiêu → tối đa, chưa đạt → tỷ lệ × tối đa"),
        ("band", "Ngưỡng: 100% → tối đa; từ ngưỡng dưới → tỷ lệ × tối đa; dưới ngưỡng → 0"),
        ("ratio-steps", "Bậc theo tỷ lệ (≥ 10% → tối đa; ≥ 7% → 70%…)"),
        ("count-tiers", "Bậc theo số lượng (≥ 10 bài → tối đa; 5–9 → ½…)"),
        ("parts", "Cộng các phần có trọng số"),
        ("capped-count", "Mỗi hoạt động một số điểm, không quá điểm tối đa"),
        ("peer-relative", "So sánh với các đơn vị cùng đợt (Min-Max hoặc so với đơn vị cao nhất)"),
        ("direct", "Nhập trực tiếp số điểm"),
    ];

    private readonly YamlMappingNode _root;

    private DraftDocument(YamlMappingNode root) => _root = root;

    /// <summary>Reads the text; null with a message when it is not a YAML mapping (then only the text editor can fix it).</summary>
    public static DraftDocument? TryLoad(string yaml, out string? error)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root)
            {
                error = null;
                return new DraftDocument(root);
            }
            error = "Văn bản không phải là một bộ chỉ số (cần các trường format, id, version, name, level, decision, tree).";
        }
        catch (YamlException ex)
        {
            error = $"YAML không hợp lệ ở dòng {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}";
        }
        return null;
    }

    public string ToYaml()
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(_root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // The emitter ends a document with "..."; a criteria file has one document and no end marker.
        text = Regex.Replace(text, @"(\r?\n)\.\.\.\s*$", "$1");
        return text.EndsWith('\n') ? text : text + "\n";
    }

    // ─── the header ───

    public string? Header(string key) => Scalar(_root, key);
    public void SetHeader(string key, string? value) => SetScalar(_root, key, value);
    public string? Decision(string key) => Child(_root, "decision") is YamlMappingNode d ? Scalar(d, key) : null;

    public void SetDecision(string key, string? value)
    {
        if (Child(_root, "decision") is not YamlMappingNode d)
        {
            d = new YamlMappingNode();
            _root.Children[new YamlScalarNode("decision")] = d;
        }
        SetScalar(d, key, value);
    }

    /// <summary>The set's maturity levels (1–5 with their names), for the level grid's columns.</summary>
    public IReadOnlyList<int> Levels =>
        Child(_root, "levels") is YamlSequenceNode seq
            ? seq.Children.OfType<YamlMappingNode>().Select(m => int.TryParse(Scalar(m, "level"), out var l) ? l : 0).Where(l => l > 0).ToList()
            : [];

    // ─── the tree ───

    public IReadOnlyList<DraftNode> Nodes()
    {
        var list = new List<DraftNode>();
        if (Child(_root, "tree") is YamlSequenceNode tree) Walk(tree, "tree", 0, list);
        return list;
    }

    private static void Walk(YamlSequenceNode seq, string path, int depth, List<DraftNode> into)
    {
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var p = $"{path}[{i}]";
            if (seq.Children[i] is not YamlMappingNode m) continue;
            var children = Child(m, "children") as YamlSequenceNode;
            into.Add(new DraftNode(p, depth, Scalar(m, "code") ?? "", Scalar(m, "name") ?? "", Scalar(m, "kind") ?? "", Scalar(m, "max"),
                children is { Children.Count: > 0 }, children?.Children.Count ?? 0));
            if (children is not null) Walk(children, p + ".children", depth + 1, into);
        }
    }

    public string? Field(string nodePath, string key) => Node(nodePath) is { } m ? Scalar(m, key) : null;

    public void SetField(string nodePath, string key, string? value)
    {
        if (Node(nodePath) is { } m) SetScalar(m, key, value, quote: key == "code");
    }

    public IReadOnlyList<string> ListField(string nodePath, string key) =>
        Node(nodePath) is { } m && Child(m, key) is YamlSequenceNode s ? s.Children.OfType<YamlScalarNode>().Select(x => x.Value ?? "").ToList() : [];

    public void SetListField(string nodePath, string key, IEnumerable<string> items)
    {
        if (Node(nodePath) is not { } m) return;
        var values = items.Select(i => i.Trim()).Where(i => i.Length > 0).ToList();
        var k = new YamlScalarNode(key);
        if (values.Count == 0) { m.Children.Remove(k); return; }
        var seq = new YamlSequenceNode(values.Select(v => (YamlNode)new YamlScalarNode(v) { Style = ScalarStyle.DoubleQuoted })) { Style = SequenceStyle.Flow };
        m.Children[k] = seq;
    }

    /// <summary>A structured parameter as YAML text (block style), or "" when absent.</summary>
    public string BlockField(string nodePath, string key)
    {
        if (Node(nodePath) is not { } m || Child(m, key) is not { } value) return "";
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(value)).Save(writer, assignAnchors: false);
        return Regex.Replace(writer.ToString(), @"(\r?\n)?\.\.\.\s*$", "").TrimEnd() + "\n";
    }

    /// <summary>Replaces a structured parameter from YAML text; a message when the text is not YAML (the field keeps its old value).</summary>
    public string? SetBlockField(string nodePath, string key, string text)
    {
        if (Node(nodePath) is not { } m) return null;
        var k = new YamlScalarNode(key);
        if (string.IsNullOrWhiteSpace(text)) { m.Children.Remove(k); return null; }
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0) { m.Children.Remove(k); return null; }
            m.Children[k] = stream.Documents[0].RootNode;
            return null;
        }
        catch (YamlException ex)
        {
            return $"“{key}”: YAML không hợp lệ ở dòng {ex.Start.Line}: {ex.InnerException?.Message ?? ex.Message}";
        }
    }

    /// <summary>The level requirement of a criterion at a level, as flow YAML (<c>{ min: "70%" }</c>, <c>na</c>), or "".</summary>
    public string LevelCell(string nodePath, int level)
    {
        if (Node(nodePath) is not { } m || Child(m, "levels") is not YamlMappingNode levels) return "";
        var cell = levels.Children.FirstOrDefault(kv => (kv.Key as YamlScalarNode)?.Value == level.ToString(CultureInfo.InvariantCulture)).Value;
        if (cell is null) return "";
        if (cell is YamlScalarNode s) return s.Value ?? "";
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(Flow(cell))).Save(writer, assignAnchors: false);
        return Regex.Replace(writer.ToString(), @"(\r?\n)?\.\.\.\s*$", "").Trim();
    }

    public string? SetLevelCell(string nodePath, int level, string text)
    {
        if (Node(nodePath) is not { } m) return null;
        var levelsKey = new YamlScalarNode("levels");
        if (Child(m, "levels") is not YamlMappingNode levels)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            levels = new YamlMappingNode();
            m.Children[levelsKey] = levels;
        }
        var key = new YamlScalarNode(level.ToString(CultureInfo.InvariantCulture));
        if (string.IsNullOrWhiteSpace(text))
        {
            levels.Children.Remove(key);
            if (levels.Children.Count == 0) m.Children.Remove(levelsKey);
            return null;
        }
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            levels.Children[key] = stream.Documents[0].RootNode;
            return null;
        }
        catch (YamlException ex)
        {
            return $"Yêu cầu mức {level}: YAML không hợp lệ ({ex.InnerException?.Message ?? ex.Message}).";
        }
    }

    private static YamlNode Flow(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map: map.Style = MappingStyle.Flow; foreach (var kv in map.Children) Flow(kv.Value); break;
            case YamlSequenceNode seq: seq.Style = SequenceStyle.Flow; foreach (var c in seq.Children) Flow(c); break;
        }
        return node;
    }

    /// <summary>Adds a criterion after the node (as its sibling) or, with <paramref name="asChild"/>, as its last child. Returns the new path.</summary>
    public string? Add(string? nodePath, bool asChild)
    {
        var node = new YamlMappingNode(
            new YamlScalarNode("code"), new YamlScalarNode("") { Style = ScalarStyle.DoubleQuoted },
            new YamlScalarNode("kind"), new YamlScalarNode("criterion"),
            new YamlScalarNode("name"), new YamlScalarNode("Tiêu chí mới"),
            new YamlScalarNode("max"), new YamlScalarNode("0"),
            new YamlScalarNode("method"), new YamlScalarNode("yesno"));
        if (nodePath is null)
        {
            if (Child(_root, "tree") is not YamlSequenceNode tree) { tree = new YamlSequenceNode(); _root.Children[new YamlScalarNode("tree")] = tree; }
            tree.Children.Add(node);
            SuggestCode(node, "", tree);
            return $"tree[{tree.Children.Count - 1}]";
        }
        if (asChild)
        {
            if (Node(nodePath) is not { } parent) return null;
            if (Child(parent, "children") is not YamlSequenceNode children)
            {
                children = new YamlSequenceNode();
                parent.Children[new YamlScalarNode("children")] = children;
                // A criterion that gets children becomes a group: its scoring parameters go (the loader refuses them on a group).
                foreach (var key in new[] { "method", "inputs", "value", "levels", "aggregate", "options", "ratio", "target", "lower", "steps", "count", "tiers", "parts", "pointsEach", "mode", "zeroDenominator" })
                    parent.Children.Remove(new YamlScalarNode(key));
                if (Scalar(parent, "kind") == "criterion") SetScalar(parent, "kind", "component");
            }
            children.Children.Add(node);
            SuggestCode(node, Scalar(parent, "code") ?? "", children);
            return $"{nodePath}.children[{children.Children.Count - 1}]";
        }
        if (Parent(nodePath) is not { } place) return null;
        place.Seq.Children.Insert(place.Index + 1, node);
        var parentCode = place.SeqPath == "tree" ? "" : Scalar(Node(place.SeqPath[..place.SeqPath.LastIndexOf(".children", StringComparison.Ordinal)])!, "code") ?? "";
        SuggestCode(node, parentCode, place.Seq);
        return $"{place.SeqPath}[{place.Index + 1}]";
    }

    public void Delete(string nodePath)
    {
        if (Parent(nodePath) is not { } place) return;
        place.Seq.Children.RemoveAt(place.Index);
    }

    /// <summary>Moves the node up (-1) or down (+1) among its siblings; returns its new path.</summary>
    public string Move(string nodePath, int by)
    {
        if (Parent(nodePath) is not { } place) return nodePath;
        var to = place.Index + by;
        if (to < 0 || to >= place.Seq.Children.Count) return nodePath;
        var node = place.Seq.Children[place.Index];
        place.Seq.Children.RemoveAt(place.Index);
        place.Seq.Children.Insert(to, node);
        return $"{place.SeqPath}[{to}]";
    }

    /// <summary>
    /// A new node's code: the parent's code and the next free number among its siblings. Other codes are left alone: values
    /// are matched by code, so renumbering is the admin's explicit choice (<see cref="Renumber"/>).
    /// </summary>
    private static void SuggestCode(YamlMappingNode node, string parentCode, YamlSequenceNode siblings)
    {
        var taken = siblings.Children.OfType<YamlMappingNode>().Select(m => Scalar(m, "code")).ToHashSet();
        for (var i = siblings.Children.Count; ; i++)
        {
            var code = (parentCode.Length == 0 ? "" : parentCode + ".") + i.ToString(CultureInfo.InvariantCulture);
            if (!taken.Contains(code)) { SetScalar(node, "code", code, quote: true); return; }
        }
    }

    /// <summary>The text of a set holding only this criterion (header and general information kept), so the form can describe
    /// its rule while other parts of the draft still have errors. Null for a group or an unknown path.</summary>
    public string? SingleCriterionYaml(string nodePath)
    {
        if (Node(nodePath) is not { } node || Child(node, "children") is YamlSequenceNode { Children.Count: > 0 }) return null;
        var copy = new YamlMappingNode();
        foreach (var (k, v) in _root.Children)
        {
            var key = (k as YamlScalarNode)?.Value;
            // Validation rules name inputs of other criteria: the one criterion alone would not load with them.
            if (key is "tree" or "maxPoints" or "validation_rules") continue;
            copy.Children[k] = v;
        }
        // A points set needs its total: the one criterion's max (a levels-only set has none and keeps none).
        if (Child(_root, "maxPoints") is not null && Scalar(node, "max") is { } max) copy.Children[new YamlScalarNode("maxPoints")] = new YamlScalarNode(max);
        copy.Children[new YamlScalarNode("tree")] = new YamlSequenceNode(node);
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(copy)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>
    /// Renumbers codes by position where they follow the usual scheme ("1", "1.1", "1.1.2"): a node whose code is empty or
    /// numeric is given its parent's code and its position; a printed code of another kind ("I.1", "A") is kept.
    /// </summary>
    public void Renumber()
    {
        if (Child(_root, "tree") is YamlSequenceNode tree) Renumber(tree, "");
    }

    private static void Renumber(YamlSequenceNode seq, string prefix)
    {
        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is not YamlMappingNode m) continue;
            var code = Scalar(m, "code") ?? "";
            var numbered = code.Length == 0 || Regex.IsMatch(code, @"^\d+(\.\d+)*$");
            var mine = numbered ? (prefix.Length == 0 ? "" : prefix + ".") + (i + 1).ToString(CultureInfo.InvariantCulture) : code;
            if (numbered && mine != code) SetScalar(m, "code", mine, quote: true);
            if (Child(m, "children") is YamlSequenceNode children) Renumber(children, mine);
        }
    }

    /// <summary>The sum of a group's children's max, for the form's hint (null when a child's max is not a number).</summary>
    public decimal? ChildrenSum(string nodePath)
    {
        if (Node(nodePath) is not { } m || Child(m, "children") is not YamlSequenceNode children) return null;
        decimal sum = 0;
        foreach (var c in children.Children.OfType<YamlMappingNode>())
        {
            if (!decimal.TryParse(Scalar(c, "max"), NumberStyles.Number, CultureInfo.InvariantCulture, out var v)) return null;
            sum += v;
        }
        return sum;
    }

    /// <summary>The node a loader error path belongs to: the longest node path that prefixes it ("" for header errors).</summary>
    public static string NodeOfError(string errorPath)
    {
        var m = Regex.Match(errorPath, @"^tree\[\d+\](\.children\[\d+\])*");
        return m.Success ? m.Value : "";
    }

    private YamlMappingNode? Node(string path)
    {
        YamlNode? current = _root;
        foreach (Match part in Regex.Matches(path, @"(\w+)\[(\d+)\]"))
        {
            if (current is not YamlMappingNode m || Child(m, part.Groups[1].Value) is not YamlSequenceNode seq) return null;
            var index = int.Parse(part.Groups[2].Value, CultureInfo.InvariantCulture);
            if (index >= seq.Children.Count) return null;
            current = seq.Children[index];
        }
        return current as YamlMappingNode;
    }

    private sealed record Place(YamlSequenceNode Seq, int Index, string SeqPath);

    private Place? Parent(string nodePath)
    {
        var m = Regex.Match(nodePath, @"^(.*)\[(\d+)\]$");
        if (!m.Success) return null;
        var seqPath = m.Groups[1].Value;
        YamlSequenceNode? seq;
        if (seqPath == "tree") seq = Child(_root, "tree") as YamlSequenceNode;
        else
        {
            var owner = Node(seqPath[..seqPath.LastIndexOf(".children", StringComparison.Ordinal)]);
            seq = owner is null ? null : Child(owner, "children") as YamlSequenceNode;
        }
        var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return seq is null || index >= seq.Children.Count ? null : new Place(seq, index, seqPath);
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Scalar(YamlMappingNode map, string key) => Child(map, key) is YamlScalarNode s ? s.Value : null;

    private static void SetScalar(YamlMappingNode map, string key, string? value, bool quote = false)
    {
        var k = new YamlScalarNode(key);
        if (string.IsNullOrEmpty(value) && !quote) { map.Children.Remove(k); return; }
        map.Children[k] = new YamlScalarNode(value ?? "") { Style = quote || LooksLikeNonString(value ?? "") && key is "code" or "name" ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
    }

    private static bool LooksLikeNonString(string value) =>
        value.Length == 0 || decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _) || value is "true" or "false" or "null" or "~";
}
