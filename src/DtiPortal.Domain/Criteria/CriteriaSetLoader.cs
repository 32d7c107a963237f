using System.Globalization;
using System.Text.RegularExpressions;
using DtiPortal.Domain.Scoring;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DtiPortal.Domain.Criteria;

/// <summary>A problem in a criteria file: where (<c>tree[2].children[0].method</c>), what (Vietnamese), and the line.</summary>
public sealed record CriteriaLoadError(string Path, string Message, int? Line = null)
{
    public override string ToString() => Line is { } l ? $"{Path} (dòng {l}): {Message}" : $"{Path}: {Message}";
}

/// <summary>Either the loaded set or every error found; never a partly loaded set.</summary>
public sealed class CriteriaLoadResult
{
    internal CriteriaLoadResult(CriteriaSet? set, IReadOnlyList<CriteriaLoadError> errors)
    {
        Set = set;
        Errors = errors;
    }

    public CriteriaSet? Set { get; }
    public IReadOnlyList<CriteriaLoadError> Errors { get; }
    public bool Success => Set is not null;
}

/// <summary>
/// Reads a <c>dti-criteria/1</c> YAML file (docs/criteria-format.md). Walks YamlDotNet's
/// representation model rather than deserialising into classes, so that every error can carry
/// its path and line and all of them are reported in one pass — a transcriber fixing a 300-line
/// file wants the whole list, not the first problem.
/// </summary>
public static partial class CriteriaSetLoader
{
    public const string FormatName = "dti-criteria/1";

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9]*$")]
    private static partial Regex KeyPattern();

    private static readonly string[] _headerKeys =
        ["format", "id", "version", "name", "level", "year", "decision", "source", "maxPoints", "levels", "general", "tree", "validation_rules"];

    private static readonly string[] _nodeKeys =
    [
        "code", "kind", "name", "max", "children", "method", "options", "ratio", "target", "lower", "steps", "count",
        "tiers", "parts", "pointsEach", "mode", "zeroDenominator", "inputs", "evidence", "evidenceRequired", "dataSource",
        "lead", "coordinating", "period", "legalBasis", "note", "formula", "value", "levels", "aggregate", "requires",
    ];

    private static readonly string[] _methodParams = ["options", "ratio", "target", "lower", "steps", "count", "tiers", "parts", "pointsEach", "mode", "zeroDenominator"];

    /// <summary>Which method parameters each method accepts; anything else is reported as a likely mistake.</summary>
    private static readonly Dictionary<MethodKind, string[]> _allowedParams = new()
    {
        [MethodKind.YesNo] = [],
        [MethodKind.Choice] = ["options"],
        [MethodKind.Ratio] = ["ratio", "zeroDenominator"],
        [MethodKind.RatioTarget] = ["ratio", "target", "zeroDenominator"],
        [MethodKind.RatioTargetPlain] = ["ratio", "target", "zeroDenominator"],
        [MethodKind.Band] = ["ratio", "lower", "zeroDenominator"],
        [MethodKind.RatioSteps] = ["ratio", "steps", "zeroDenominator"],
        [MethodKind.CountTiers] = ["count", "tiers", "zeroDenominator"],
        [MethodKind.Parts] = ["parts"],
        [MethodKind.CappedCount] = ["count", "pointsEach", "zeroDenominator"],
        [MethodKind.PeerRelative] = ["ratio", "mode", "zeroDenominator"],
        [MethodKind.Direct] = [],
    };

    public static CriteriaLoadResult Parse(string yaml)
    {
        var r = new Reader();
        YamlNode? rootNode = null;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            rootNode = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
        }
        catch (YamlException ex)
        {
            r.Error("", $"YAML không hợp lệ: {ex.InnerException?.Message ?? ex.Message}", (int)ex.Start.Line);
        }

        if (rootNode is null)
        {
            if (r.Errors.Count == 0) r.Error("", "Tệp rỗng");
            return new CriteriaLoadResult(null, r.Errors);
        }

        var set = ReadSet(r, rootNode);
        if (r.Errors.Count > 0 || set is null) return new CriteriaLoadResult(null, r.Errors);
        return new CriteriaLoadResult(set, []);
    }

    private static CriteriaSet? ReadSet(Reader r, YamlNode rootNode)
    {
        var root = r.Map(rootNode, "");
        if (root is null) return null;
        r.CheckKeys(root, "", _headerKeys);

        var format = r.Str(root, "format", "", required: true);
        if (format is not null && format != FormatName)
            r.Error("format", $"Định dạng phải là '{FormatName}', không phải '{format}'", r.LineOf(root, "format"));
        var id = r.Str(root, "id", "", required: true);
        if (id is not null && !IdPattern().IsMatch(id))
            r.Error("id", $"Mã bộ chỉ số '{id}' chỉ được gồm chữ thường, chữ số và dấu '-'", r.LineOf(root, "id"));
        var version = r.Int(root, "version", "", required: true);
        if (version is < 1) r.Error("version", "Phiên bản phải là số nguyên ≥ 1", r.LineOf(root, "version"));
        var name = r.Str(root, "name", "", required: true);
        var level = r.Str(root, "level", "", required: true);
        if (level is not null and not ("commune" or "district" or "province"))
            r.Error("level", $"Cấp đánh giá không xác định: '{level}' (commune | district | province)", r.LineOf(root, "level"));
        var year = r.Int(root, "year", "");
        var source = r.Str(root, "source", "");
        var maxPoints = r.Dec(root, "maxPoints", "");
        var decision = ReadDecision(r, root);
        var levels = ReadLevels(r, root);
        var general = ReadGeneral(r, root);

        var ctx = new TreeContext(levels, general, maxPoints is not null);
        var treeSeq = r.Seq(root, "tree", "", required: true);
        var tree = new List<CriterionNode>();
        if (treeSeq is not null)
        {
            if (treeSeq.Children.Count == 0) r.Error("tree", "Cây chỉ số rỗng", (int)treeSeq.Start.Line);
            for (var i = 0; i < treeSeq.Children.Count; i++)
            {
                var node = ReadNode(r, ctx, treeSeq.Children[i], $"tree[{i}]", depth: 0);
                if (node is not null) tree.Add(node);
            }
        }

        if (maxPoints is { } total && treeSeq is not null && tree.Count == treeSeq.Children.Count)
        {
            var sum = tree.Sum(n => n.Max);
            if (sum != total)
                r.Error("maxPoints", $"Tổng điểm tối đa của các chỉ số chính ({Num(sum)}) khác maxPoints ({Num(total)})", r.LineOf(root, "maxPoints"));
        }
        if (maxPoints is null && levels.Count == 0)
            r.Error("", "Bộ chỉ số phải có 'maxPoints' (bộ chấm điểm) hoặc 'levels' (bộ mức độ trưởng thành)");

        if (r.Errors.Count > 0) return null;
        try
        {
            var set = new CriteriaSet(id!, version!.Value, name!, level!, year, decision!, source, maxPoints, levels, general, tree);
            // Rules name addresses, which exist only once the tree is built.
            set.ValidationRules = ReadRules(r, root, set);
            return r.Errors.Count > 0 ? null : set;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            // The checks above should make this unreachable; report instead of crashing an admin's upload.
            r.Error("", $"Không dựng được bộ chỉ số: {ex.Message}");
            return null;
        }
    }

    /// <summary>The <c>validation_rules:</c> section (spec §10): code, rule, message, severity.</summary>
    private static List<ValidationRule> ReadRules(Reader r, YamlMappingNode root, CriteriaSet set)
    {
        var rules = new List<ValidationRule>();
        var seq = r.Seq(root, "validation_rules", "");
        if (seq is null) return rules;
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = $"validation_rules[{i}]";
            var map = r.Map(seq.Children[i], path);
            if (map is null) continue;
            r.CheckKeys(map, path, ["code", "rule", "message", "severity"]);
            var code = r.Str(map, "code", path, required: true);
            var text = r.Str(map, "rule", path, required: true);
            var message = r.Str(map, "message", path, required: true);
            var severityText = r.Str(map, "severity", path, required: true);
            if (code is not null && !RuleCodePattern().IsMatch(code))
                r.Error($"{path}.code", $"Mã quy tắc '{code}' chỉ được gồm chữ, chữ số và các dấu '.', '-', '_'", r.LineOf(map, "code"));
            else if (code is not null && !codes.Add(code))
                r.Error($"{path}.code", $"Mã quy tắc '{code}' bị trùng", r.LineOf(map, "code"));
            RuleSeverity? severity = severityText switch
            {
                null => null,
                "error" => RuleSeverity.Error,
                "warning" => RuleSeverity.Warning,
                _ => null,
            };
            if (severityText is not null && severity is null)
                r.Error($"{path}.severity", $"Mức độ '{severityText}' không xác định: error (Lỗi: từ chối khi nhập) hoặc warning (Cảnh báo: vẫn lưu, cần giải trình)", r.LineOf(map, "severity"));
            if (message is { Length: 0 }) r.Error($"{path}.message", "Thông báo không được để trống", r.LineOf(map, "message"));
            // The rule text is judged even when its other fields are wrong, so that every problem is listed at once.
            if (code is null || text is null) continue;
            var rule = ValidationRules.Parse(set, code, text, message ?? "", severity ?? RuleSeverity.Error, out var error);
            if (rule is null) r.Error($"{path}.rule", error!, r.LineOf(map, "rule"));
            else if (message is { Length: > 0 } && severity is not null) rules.Add(rule);
        }
        return rules;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex RuleCodePattern();

    private static CriteriaDecision? ReadDecision(Reader r, YamlMappingNode root)
    {
        var node = r.Get(root, "decision");
        if (node is null)
        {
            r.Error("decision", "Thiếu thông tin quyết định ban hành (decision)");
            return null;
        }
        var map = r.Map(node, "decision");
        if (map is null) return null;
        r.CheckKeys(map, "decision", ["number", "date", "issuer", "effectiveFrom", "effectiveTo"]);
        var number = r.Str(map, "number", "decision", required: true);
        var date = r.Date(map, "date", "decision"); // optional: some texts (seed 004) do not print the decision date
        var issuer = r.Str(map, "issuer", "decision", required: true);
        var from = r.Date(map, "effectiveFrom", "decision");
        var to = r.Date(map, "effectiveTo", "decision");
        if (from is { } f && to is { } t && t < f)
            r.Error("decision.effectiveTo", "Ngày hết hiệu lực trước ngày có hiệu lực", r.LineOf(map, "effectiveTo"));
        return number is null || issuer is null ? null : new CriteriaDecision(number, date, issuer, from, to);
    }

    private static List<MaturityLevel> ReadLevels(Reader r, YamlMappingNode root)
    {
        var result = new List<MaturityLevel>();
        var seq = r.Seq(root, "levels", "");
        if (seq is null) return result;
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = $"levels[{i}]";
            var map = r.Map(seq.Children[i], path);
            if (map is null) continue;
            r.CheckKeys(map, path, ["level", "name"]);
            var level = r.Int(map, "level", path, required: true);
            var name = r.Str(map, "name", path, required: true);
            if (level is null || name is null) continue;
            if (level != i + 1)
                r.Error($"{path}.level", $"Các mức phải đánh số liên tiếp từ 1 (gặp mức {level} ở vị trí {i + 1})", (int)map.Start.Line);
            result.Add(new MaturityLevel(level.Value, name));
        }
        return result;
    }

    private static List<GeneralItem> ReadGeneral(Reader r, YamlMappingNode root)
    {
        var result = new List<GeneralItem>();
        var seq = r.Seq(root, "general", "");
        if (seq is null) return result;
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var path = $"general[{i}]";
            var map = r.Map(seq.Children[i], path);
            if (map is null) continue;
            r.CheckKeys(map, path, ["code", "key", "label", "unit", "type"]);
            var code = r.Str(map, "code", path, required: true);
            var key = r.Str(map, "key", path, required: true);
            var label = r.Str(map, "label", path, required: true);
            var unit = r.Str(map, "unit", path);
            var typeText = r.Str(map, "type", path) ?? "integer";
            var type = ParseType(typeText, general: true);
            if (type is null)
                r.Error($"{path}.type", $"Kiểu dữ liệu không xác định: '{typeText}' (integer | number | money | percent | text | date)", r.LineOf(map, "type"));
            if (code is not null && !codes.Add(code))
                r.Error($"{path}.code", $"Mã thông tin chung '{code}' bị trùng", r.LineOf(map, "code"));
            if (key is not null && !KeyPattern().IsMatch(key))
                r.Error($"{path}.key", $"Khóa '{key}' phải là định danh ASCII (chữ cái đầu, rồi chữ/số)", r.LineOf(map, "key"));
            else if (key is not null && !keys.Add(key))
                r.Error($"{path}.key", $"Khóa thông tin chung '{key}' bị trùng", r.LineOf(map, "key"));
            if (code is not null && key is not null && label is not null && type is not null)
                result.Add(new GeneralItem(code, key, label, unit, type.Value));
        }
        return result;
    }

    private sealed class TreeContext(List<MaturityLevel> levels, List<GeneralItem> general, bool pointsSet)
    {
        public List<MaturityLevel> Levels { get; } = levels;
        public List<GeneralItem> General { get; } = general;
        public bool PointsSet { get; } = pointsSet;
        public HashSet<string> Codes { get; } = new(StringComparer.Ordinal);
    }

    private static CriterionNode? ReadNode(Reader r, TreeContext ctx, YamlNode yamlNode, string path, int depth)
    {
        var map = r.Map(yamlNode, path);
        if (map is null) return null;
        r.CheckKeys(map, path, _nodeKeys);
        var errorsBefore = r.Errors.Count;

        var code = r.Str(map, "code", path, required: true);
        if (code is not null && !ctx.Codes.Add(code))
            r.Error($"{path}.code", $"Mã tiêu chí '{code}' bị trùng", r.LineOf(map, "code"));
        var label = code ?? path;
        var name = r.Str(map, "name", path, required: true);
        var max = r.Dec(map, "max", path);

        var childSeq = r.Seq(map, "children", path);
        var children = new List<CriterionNode>();
        if (childSeq is not null)
        {
            if (childSeq.Children.Count == 0) r.Error($"{path}.children", $"'{label}' có danh sách chỉ số con rỗng", (int)childSeq.Start.Line);
            for (var i = 0; i < childSeq.Children.Count; i++)
            {
                var child = ReadNode(r, ctx, childSeq.Children[i], $"{path}.children[{i}]", depth + 1);
                if (child is not null) children.Add(child);
            }
        }
        var isGroup = childSeq is { Children.Count: > 0 };

        var kindText = r.Str(map, "kind", path);
        NodeKind kind;
        if (kindText is null)
            kind = isGroup ? (depth == 0 ? NodeKind.Index : NodeKind.Component) : NodeKind.Criterion;
        else if (!Enum.TryParse(kindText, ignoreCase: true, out kind) || kindText != kindText.ToLowerInvariant())
        {
            r.Error($"{path}.kind", $"Loại nút không xác định: '{kindText}' (pillar | index | component | criterion)", r.LineOf(map, "kind"));
            kind = NodeKind.Criterion;
        }

        var details = ReadDetails(r, map, path);

        if (isGroup)
        {
            foreach (var param in _methodParams.Append("method").Append("inputs").Append("value").Append("levels").Append("aggregate").Append("requires"))
            {
                if (r.Get(map, param) is not null)
                    r.Error($"{path}.{param}", $"'{label}' là nhóm (có chỉ số con) nên không có '{param}'", r.LineOf(map, param));
            }
            if (max is null && ctx.PointsSet)
                r.Error($"{path}.max", $"'{label}' thiếu điểm tối đa (max)", (int)map.Start.Line);
            if (max is { } m && children.Count == childSeq!.Children.Count)
            {
                var sum = children.Sum(c => c.Max);
                if (sum != m)
                    r.Error($"{path}.max", $"Tổng điểm tối đa của các chỉ số con ({Num(sum)}) khác điểm tối đa của '{label}' ({Num(m)})", r.LineOf(map, "max"));
            }
            if (r.Errors.Count > errorsBefore || code is null || name is null) return null;
            return new CriterionNode(code, kind, name, max ?? children.Sum(c => c.Max), children, null, [], details,
                null, new Dictionary<int, LevelRequirement>(), null);
        }

        // A criterion.
        var inputs = ReadInputs(r, ctx, map, path, label);
        int Resolve(string key) => inputs.FindIndex(i => i.Key == key);

        ScoringMethod? method = null;
        var methodText = r.Str(map, "method", path);
        if (methodText is null)
        {
            if (r.Get(map, "levels") is null && r.Get(map, "aggregate") is null)
                r.Error($"{path}.method", $"Tiêu chí '{label}' thiếu phương pháp tính điểm (method)", (int)map.Start.Line);
            foreach (var param in _methodParams.Append("requires").Where(p => r.Get(map, p) is not null))
                r.Error($"{path}.{param}", $"Tham số '{param}' chỉ dùng khi có phương pháp tính điểm (method)", r.LineOf(map, param));
        }
        else if (!ScoringMethod.TryParse(methodText, out var methodKind))
        {
            r.Error($"{path}.method", $"Phương pháp tính điểm không xác định: '{methodText}'", r.LineOf(map, "method"));
        }
        else
        {
            method = ReadMethod(r, map, path, label, methodKind, max, inputs, Resolve);
        }

        if (method is not null || (ctx.PointsSet && methodText is not null))
        {
            if (max is null) r.Error($"{path}.max", $"Tiêu chí '{label}' thiếu điểm tối đa (max)", (int)map.Start.Line);
            else if (max <= 0) r.Error($"{path}.max", $"Điểm tối đa của '{label}' phải lớn hơn 0", r.LineOf(map, "max"));
        }

        var (value, requirements, aggregate) = ReadLevelPart(r, ctx, map, path, label, method, inputs, Resolve);

        if (r.Errors.Count > errorsBefore || code is null || name is null) return null;
        return new CriterionNode(code, kind, name, max ?? 0, [], method, inputs, details, value, requirements, aggregate);
    }

    private static CriterionDetails ReadDetails(Reader r, YamlMappingNode map, string path)
    {
        var period = r.StrList(map, "period", path) ?? ["year"];
        foreach (var p in period.Where(p => p is not ("Q1" or "Q2" or "Q3" or "Q4" or "year")))
            r.Error($"{path}.period", $"Kỳ báo cáo không xác định: '{p}' (Q1 | Q2 | Q3 | Q4 | year)", r.LineOf(map, "period"));
        return new CriterionDetails(
            r.StrList(map, "evidence", path) ?? [],
            r.Bool(map, "evidenceRequired", path) ?? false,
            r.Str(map, "dataSource", path),
            r.Str(map, "lead", path),
            r.StrList(map, "coordinating", path) ?? [],
            period,
            r.Str(map, "legalBasis", path),
            r.Str(map, "note", path),
            r.Str(map, "formula", path));
    }

    private static List<CriterionInput> ReadInputs(Reader r, TreeContext ctx, YamlMappingNode map, string path, string label)
    {
        var result = new List<CriterionInput>();
        var seq = r.Seq(map, "inputs", path);
        if (seq is null) return result;
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var p = $"{path}.inputs[{i}]";
            var m = r.Map(seq.Children[i], p);
            if (m is null) continue;
            r.CheckKeys(m, p, ["key", "label", "unit", "type", "general"]);
            var key = r.Str(m, "key", p, required: true);
            var inputLabel = r.Str(m, "label", p, required: true);
            var unit = r.Str(m, "unit", p);
            var general = r.Str(m, "general", p);
            var typeText = r.Str(m, "type", p);
            InputType? type = InputType.Integer;
            if (typeText is not null)
            {
                type = ParseType(typeText, general: false);
                if (type is null)
                    r.Error($"{p}.type", $"Kiểu dữ liệu không xác định: '{typeText}' (integer | number | money | percent | boolean)", r.LineOf(m, "type"));
            }
            GeneralItem? generalItem = null;
            if (general is not null)
            {
                generalItem = ctx.General.FirstOrDefault(g => g.Key == general);
                if (generalItem is null)
                    r.Error($"{p}.general", $"Mục thông tin chung không tồn tại: '{general}'", r.LineOf(m, "general"));
                else if (typeText is null)
                    type = generalItem.Type; // the denominator is read as the general item is typed
            }
            if (key is not null && !KeyPattern().IsMatch(key))
                r.Error($"{p}.key", $"Khóa đầu vào '{key}' phải là định danh ASCII (a, b, c…)", r.LineOf(m, "key"));
            else if (key is not null && result.Any(x => x.Key == key))
                r.Error($"{p}.key", $"Đầu vào '{key}' của '{label}' bị trùng", r.LineOf(m, "key"));
            if (key is not null && inputLabel is not null && type is not null)
                result.Add(new CriterionInput(key, inputLabel, unit, type.Value, general));
        }
        return result;
    }

    private static ScoringMethod? ReadMethod(
        Reader r, YamlMappingNode map, string path, string label, MethodKind kind, decimal? max,
        List<CriterionInput> inputs, Func<string, int> resolve)
    {
        var name = ScoringMethod.NameOf(kind);
        var allowed = _allowedParams[kind];
        foreach (var param in _methodParams.Where(p => !allowed.Contains(p) && r.Get(map, p) is not null))
            r.Error($"{path}.{param}", $"Tham số '{param}' không dùng cho phương pháp '{name}'", r.LineOf(map, param));

        RatioExpression? Expr(string key)
        {
            var text = r.Str(map, key, path);
            if (text is null) return null;
            var expr = RatioExpression.Parse(text, resolve, out var error);
            if (error is not null) r.Error($"{path}.{key}", error, r.LineOf(map, key));
            return expr;
        }

        var ratio = allowed.Contains("ratio") ? Expr("ratio") : null;
        var count = allowed.Contains("count") ? Expr("count") : null;
        decimal? target = null, lower = null, pointsEach = null;
        if (allowed.Contains("target")) target = r.Percent(map, "target", path, required: true);
        if (allowed.Contains("lower")) lower = r.Percent(map, "lower", path, required: true);
        if (target is <= 0) r.Error($"{path}.target", "Ngưỡng (target) phải lớn hơn 0%", r.LineOf(map, "target"));

        var thresholds = new List<Threshold>();
        if (kind is MethodKind.RatioSteps or MethodKind.CountTiers)
        {
            var key = kind == MethodKind.RatioSteps ? "steps" : "tiers";
            var seq = r.Seq(map, key, path, required: true);
            for (var i = 0; seq is not null && i < seq.Children.Count; i++)
            {
                var p = $"{path}.{key}[{i}]";
                var m = r.Map(seq.Children[i], p);
                if (m is null) continue;
                r.CheckKeys(m, p, ["min", "fraction", "points", "label"]);
                var min = kind == MethodKind.RatioSteps ? r.Percent(m, "min", p, required: true) : r.Dec(m, "min", p, required: true);
                var (fraction, points) = ReadShare(r, m, p, max);
                if (min is not null && (fraction is not null || points is not null)) thresholds.Add(new Threshold(min.Value, fraction, points));
            }
            if (seq is { Children.Count: 0 }) r.Error($"{path}.{key}", $"Danh sách '{key}' rỗng", (int)seq.Start.Line);
            // Highest minimum first: the engine takes the first one reached, whatever order the text printed.
            thresholds.Sort((a, b) => b.Min.CompareTo(a.Min));
            for (var i = 1; i < thresholds.Count; i++)
            {
                if (thresholds[i].Min == thresholds[i - 1].Min)
                    r.Error($"{path}.{key}", $"Hai mức trong '{key}' cùng ngưỡng {Num(thresholds[i].Min)}", r.LineOf(map, key));
            }
        }

        var options = new List<ChoiceOption>();
        if (kind == MethodKind.Choice)
        {
            var seq = r.Seq(map, "options", path, required: true);
            for (var i = 0; seq is not null && i < seq.Children.Count; i++)
            {
                var p = $"{path}.options[{i}]";
                var m = r.Map(seq.Children[i], p);
                if (m is null) continue;
                r.CheckKeys(m, p, ["label", "fraction", "points"]);
                var optionLabel = r.Str(m, "label", p, required: true);
                var (fraction, points) = ReadShare(r, m, p, max);
                if (optionLabel is not null) options.Add(new ChoiceOption(optionLabel, fraction, points));
            }
            if (seq is { Children.Count: 0 }) r.Error($"{path}.options", "Danh sách phương án (options) rỗng", (int)seq.Start.Line);
        }

        var parts = new List<Part>();
        if (kind == MethodKind.Parts)
        {
            var seq = r.Seq(map, "parts", path, required: true);
            for (var i = 0; seq is not null && i < seq.Children.Count; i++)
            {
                var p = $"{path}.parts[{i}]";
                var m = r.Map(seq.Children[i], p);
                if (m is null) continue;
                r.CheckKeys(m, p, ["key", "label", "fraction", "points"]);
                var key = r.Str(m, "key", p, required: true);
                var partLabel = r.Str(m, "label", p, required: true);
                var (fraction, points) = ReadShare(r, m, p, max);
                if (key is not null && !KeyPattern().IsMatch(key))
                    r.Error($"{p}.key", $"Khóa phần '{key}' phải là định danh ASCII", r.LineOf(m, "key"));
                else if (key is not null && parts.Any(x => x.Key == key))
                    r.Error($"{p}.key", $"Phần '{key}' của '{label}' bị trùng", r.LineOf(m, "key"));
                else if (key is not null && inputs.FirstOrDefault(x => x.Key == key) is { Type: not InputType.Boolean })
                    r.Error($"{p}.key", $"Phần '{key}' phải là đầu vào kiểu boolean", r.LineOf(m, "key"));
                if (key is not null && partLabel is not null) parts.Add(new Part(key, partLabel, fraction, points));
            }
            if (seq is { Children.Count: 0 }) r.Error($"{path}.parts", "Danh sách phần (parts) rỗng", (int)seq.Start.Line);
        }

        if (allowed.Contains("pointsEach"))
        {
            pointsEach = r.Dec(map, "pointsEach", path) ?? 1;
            if (pointsEach <= 0) r.Error($"{path}.pointsEach", "pointsEach phải lớn hơn 0", r.LineOf(map, "pointsEach"));
        }

        var mode = PeerMode.MinMax;
        if (kind == MethodKind.PeerRelative)
        {
            var modeText = r.Str(map, "mode", path, required: true);
            if (modeText == "best") mode = PeerMode.Best;
            else if (modeText is not null and not "min-max")
                r.Error($"{path}.mode", $"Cách so sánh không xác định: '{modeText}' (min-max | best)", r.LineOf(map, "mode"));
        }

        var zero = ZeroDenominatorRule.Zero;
        var zeroText = allowed.Contains("zeroDenominator") ? r.Str(map, "zeroDenominator", path) : null;
        if (zeroText == "max") zero = ZeroDenominatorRule.Max;
        else if (zeroText is not null and not "zero")
            r.Error($"{path}.zeroDenominator", $"Giá trị không xác định: '{zeroText}' (zero | max)", r.LineOf(map, "zeroDenominator"));

        // A method that reads one value (no ratio/count expression) needs at most one declared input.
        var expr = ratio ?? count;
        var gateInputs = r.Str(map, "requires", path) is { } g && inputs.Any(x => x.Key == g) ? 1 : 0;
        if (kind != MethodKind.Parts && expr is null && inputs.Count - gateInputs > 1)
        {
            var what = allowed.Contains("ratio") ? "ratio" : allowed.Contains("count") ? "count" : null;
            r.Error($"{path}.{what ?? "inputs"}", what is null
                ? $"Phương pháp '{name}' đọc một giá trị nhưng '{label}' khai báo {inputs.Count} đầu vào"
                : $"'{label}' có {inputs.Count} đầu vào nên phải ghi công thức '{what}:'", (int)map.Start.Line);
        }
        if (kind == MethodKind.YesNo && inputs.Count == 1 && inputs[0].Type != InputType.Boolean)
            r.Error($"{path}.inputs[0].type", "Phương pháp 'yesno' cần đầu vào kiểu boolean", (int)map.Start.Line);

        // requires: a — the boolean input without which the criterion earns 0 (any method but parts, which is its own gates).
        var requires = r.Str(map, "requires", path);
        if (requires is not null)
        {
            if (kind == MethodKind.Parts)
                r.Error($"{path}.requires", "Phương pháp 'parts' không dùng 'requires' (mỗi phần đã là một điều kiện)", r.LineOf(map, "requires"));
            else if (inputs.FirstOrDefault(x => x.Key == requires) is not { } gate)
                r.Error($"{path}.requires", $"Đầu vào chưa khai báo: '{requires}'", r.LineOf(map, "requires"));
            else if (gate.Type != InputType.Boolean)
                r.Error($"{path}.requires", $"Điều kiện '{requires}' phải là đầu vào kiểu boolean", r.LineOf(map, "requires"));
            else if (ratio?.Keys.Contains(requires) == true || count?.Keys.Contains(requires) == true)
                r.Error($"{path}.requires", $"Điều kiện '{requires}' không được dùng trong công thức", r.LineOf(map, "requires"));
        }

        return new ScoringMethod(kind, ratio, count, target, lower, thresholds, options, parts, pointsEach, mode, zero, requires);
    }

    /// <summary>An outcome's share: exactly one of <c>fraction</c> (0…1, "1/2" allowed) or <c>points</c> (0…max).</summary>
    private static (decimal? Fraction, decimal? Points) ReadShare(Reader r, YamlMappingNode m, string path, decimal? max)
    {
        var hasFraction = r.Get(m, "fraction") is not null;
        var hasPoints = r.Get(m, "points") is not null;
        if (hasFraction == hasPoints)
        {
            r.Error(path, "Phải ghi đúng một trong 'fraction' hoặc 'points'", (int)m.Start.Line);
            return (null, null);
        }
        if (hasFraction)
        {
            var f = r.Fraction(m, "fraction", path);
            if (f is < 0 or > 1) r.Error($"{path}.fraction", $"Tỷ lệ điểm phải từ 0 đến 1 (gặp {Num(f.Value)})", r.LineOf(m, "fraction"));
            return (f, null);
        }
        var p = r.Dec(m, "points", path);
        if (p < 0 || (max is { } mx && p > mx))
            r.Error($"{path}.points", $"Số điểm {Num(p!.Value)} nằm ngoài khoảng 0…{Num(max ?? 0)}", r.LineOf(m, "points"));
        return (null, p);
    }

    private static (LevelValue?, Dictionary<int, LevelRequirement>, LevelAggregate?) ReadLevelPart(
        Reader r, TreeContext ctx, YamlMappingNode map, string path, string label, ScoringMethod? method,
        List<CriterionInput> inputs, Func<string, int> resolve)
    {
        var requirements = new Dictionary<int, LevelRequirement>();
        LevelValue? value = null;
        LevelAggregate? aggregate = null;
        var hasLevels = r.Get(map, "levels") is not null;
        var hasValue = r.Get(map, "value") is not null;
        var hasAggregate = r.Get(map, "aggregate") is not null;
        if (!hasLevels && !hasValue && !hasAggregate) return (null, requirements, null);
        if (ctx.Levels.Count == 0)
        {
            r.Error($"{path}.{(hasLevels ? "levels" : hasValue ? "value" : "aggregate")}",
                "Bộ chỉ số không khai báo các mức ('levels:' ở phần đầu) nên tiêu chí không thể có yêu cầu theo mức", (int)map.Start.Line);
            return (null, requirements, null);
        }

        string? InputKey(YamlMappingNode m, string key, string p)
        {
            var k = r.Str(m, key, p);
            if (k is not null && resolve(k) < 0)
                r.Error($"{p}.{key}", $"Đầu vào chưa khai báo: '{k}'", r.LineOf(m, key));
            return k;
        }

        if (hasValue)
        {
            var vp = $"{path}.value";
            var vm = r.Map(r.Get(map, "value")!, vp);
            if (vm is not null)
            {
                r.CheckKeys(vm, vp, ["ratio", "present", "count", "lowerLevels"]);
                if (vm.Children.Count != 1)
                    r.Error(vp, "'value' phải có đúng một trong: ratio, present, count, lowerLevels", (int)vm.Start.Line);
                else if (r.Str(vm, "ratio", vp) is { } text)
                {
                    var expr = RatioExpression.Parse(text, resolve, out var error);
                    if (error is not null) r.Error($"{vp}.ratio", error, r.LineOf(vm, "ratio"));
                    value = new LevelValue(LevelValueKind.Ratio, expr);
                }
                else if (r.Get(vm, "present") is not null)
                    value = new LevelValue(LevelValueKind.Present, Input: InputKey(vm, "present", vp));
                else if (r.Get(vm, "count") is not null)
                    value = new LevelValue(LevelValueKind.Count, Input: InputKey(vm, "count", vp));
                else if (r.Bool(vm, "lowerLevels", vp) == true)
                    value = new LevelValue(LevelValueKind.LowerLevels);
            }
        }
        else if (method is null)
        {
            if (inputs.Count > 1)
                r.Error($"{path}.value", $"'{label}' có {inputs.Count} đầu vào nên phải ghi 'value:' (ratio/present/count)", (int)map.Start.Line);
            value = new LevelValue(LevelValueKind.Single);
        }

        if (hasAggregate)
        {
            var ap = $"{path}.aggregate";
            var am = r.Map(r.Get(map, "aggregate")!, ap);
            if (am is not null)
            {
                r.CheckKeys(am, ap, ["allAtLeastPrevious", "atLeast"]);
                var all = r.Percent(am, "allAtLeastPrevious", ap, required: true);
                var atLeast = r.Percent(am, "atLeast", ap, required: true);
                if (all is not null && atLeast is not null) aggregate = new LevelAggregate(all.Value, atLeast.Value);
            }
            if (value?.Kind != LevelValueKind.LowerLevels)
                r.Error(ap, "'aggregate' cần 'value: { lowerLevels: true }'", r.LineOf(map, "aggregate"));
        }
        else if (value?.Kind == LevelValueKind.LowerLevels)
        {
            r.Error($"{path}.value", "'lowerLevels' cần 'aggregate:' (quy tắc tổng hợp mức của đơn vị cấp dưới)", r.LineOf(map, "value"));
        }

        if (hasLevels)
        {
            var lp = $"{path}.levels";
            var lm = r.Map(r.Get(map, "levels")!, lp);
            if (lm is not null)
            {
                foreach (var (keyNode, reqNode) in lm.Children)
                {
                    var keyText = (keyNode as YamlScalarNode)?.Value;
                    var p = $"{lp}.{keyText}";
                    if (!int.TryParse(keyText, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || ctx.Levels.All(l => l.Level != level))
                    {
                        r.Error(p, $"Mức không xác định: '{keyText}'", (int)keyNode.Start.Line);
                        continue;
                    }
                    var req = ReadRequirement(r, reqNode, p, resolve);
                    if (req is not null) requirements[level] = req;
                }
            }
        }

        if (aggregate is not null)
        {
            // The lower-levels rule applies at every level the criterion does not mark na.
            foreach (var level in ctx.Levels)
                if (!requirements.ContainsKey(level.Level)) requirements[level.Level] = new LevelRequirement.Aggregate(aggregate);
        }
        else if (!hasLevels && hasValue)
        {
            r.Error($"{path}.levels", $"'{label}' có 'value' nhưng không có yêu cầu theo mức (levels)", (int)map.Start.Line);
        }

        CheckMonotonic(r, ctx, requirements, $"{path}.levels", label, r.LineOf(map, "levels"));
        return (value, requirements, aggregate);
    }

    private static LevelRequirement? ReadRequirement(Reader r, YamlNode node, string path, Func<string, int> resolve)
    {
        if (node is YamlScalarNode scalar)
        {
            switch (scalar.Value)
            {
                case "na": return LevelRequirement.Na;
                case "present": return new LevelRequirement.Present();
                default:
                    r.Error(path, $"Yêu cầu không xác định: '{scalar.Value}' (na | present | {{ min: \"70%\" }} | {{ minCount: 1 }} | {{ any: […] }} | {{ all: […] }})", (int)node.Start.Line);
                    return null;
            }
        }
        var m = r.Map(node, path);
        if (m is null) return null;
        r.CheckKeys(m, path, ["min", "minCount", "present", "any", "all", "of"]);
        string? of = r.Str(m, "of", path);
        if (of is not null && resolve(of) < 0)
            r.Error($"{path}.of", $"Đầu vào chưa khai báo: '{of}'", r.LineOf(m, "of"));

        var forms = new[] { "min", "minCount", "present", "any", "all" }.Count(k => r.Get(m, k) is not null);
        if (forms != 1)
        {
            r.Error(path, "Yêu cầu phải có đúng một trong: min, minCount, present, any, all", (int)m.Start.Line);
            return null;
        }
        if (r.Get(m, "min") is not null)
        {
            var min = r.Percent(m, "min", path, required: true);
            return min is null ? null : new LevelRequirement.Min(min.Value, of);
        }
        if (r.Get(m, "minCount") is not null)
        {
            var count = r.Dec(m, "minCount", path, required: true);
            return count is null ? null : new LevelRequirement.MinCount(count.Value, of);
        }
        if (r.Get(m, "present") is { } presentNode)
        {
            // { present: true } or { present: a } (the input that must be yes).
            var text = (presentNode as YamlScalarNode)?.Value;
            if (text is "true" or "yes") return new LevelRequirement.Present(of);
            if (text is not null && resolve(text) >= 0) return new LevelRequirement.Present(text);
            r.Error($"{path}.present", $"Đầu vào chưa khai báo: '{text}'", (int)presentNode.Start.Line);
            return null;
        }
        var listKey = r.Get(m, "any") is not null ? "any" : "all";
        var seq = r.Seq(m, listKey, path, required: true);
        if (seq is null) return null;
        var items = new List<LevelRequirement>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var item = ReadRequirement(r, seq.Children[i], $"{path}.{listKey}[{i}]", resolve);
            if (item is not null) items.Add(item);
        }
        if (seq.Children.Count == 0) r.Error($"{path}.{listKey}", $"Danh sách '{listKey}' rỗng", (int)seq.Start.Line);
        return listKey == "any" ? new LevelRequirement.Any(items) : new LevelRequirement.All(items);
    }

    /// <summary>Once applicable a criterion stays applicable, and thresholds never decrease (spec §6).</summary>
    private static void CheckMonotonic(Reader r, TreeContext ctx, Dictionary<int, LevelRequirement> reqs, string path, string label, int? line)
    {
        LevelRequirement? previous = null;
        var previousLevel = 0;
        foreach (var level in ctx.Levels.Select(l => l.Level).Order())
        {
            var req = reqs.GetValueOrDefault(level) ?? LevelRequirement.Na;
            if (req is LevelRequirement.NotApplicable)
            {
                if (previous is not null)
                    r.Error($"{path}.{level}", $"'{label}' áp dụng ở mức {previousLevel} nhưng không áp dụng ở mức {level}", line);
                continue;
            }
            var lower = (previous, req) switch
            {
                (LevelRequirement.Min a, LevelRequirement.Min b) when a.Of == b.Of => b.Value < a.Value,
                (LevelRequirement.MinCount a, LevelRequirement.MinCount b) when a.Of == b.Of => b.Value < a.Value,
                _ => false,
            };
            if (lower) r.Error($"{path}.{level}", $"Yêu cầu mức {level} thấp hơn mức {previousLevel}", line);
            previous = req;
            previousLevel = level;
        }
    }

    private static InputType? ParseType(string text, bool general) => text switch
    {
        "integer" => InputType.Integer,
        "number" => InputType.Number,
        "money" => InputType.Money,
        "percent" => InputType.Percent,
        "text" when general => InputType.Text,
        "date" when general => InputType.Date,
        "boolean" when !general => InputType.Boolean,
        _ => null,
    };

    internal static string Num(decimal value) => VnFormat.Number(value);

    /// <summary>Typed access to the YAML tree that records an error (with path and line) instead of throwing.</summary>
    private sealed class Reader
    {
        public List<CriteriaLoadError> Errors { get; } = [];

        public void Error(string path, string message, int? line = null) => Errors.Add(new CriteriaLoadError(path, message, line));

        private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

        public YamlNode? Get(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) && !IsNull(node) ? node : null;

        public int? LineOf(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (int)node.Start.Line : (int)map.Start.Line;

        private static bool IsNull(YamlNode node) =>
            node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

        public YamlMappingNode? Map(YamlNode node, string path)
        {
            if (node is YamlMappingNode m) return m;
            Error(path.Length == 0 ? "(gốc)" : path, "Phải là một bảng khóa: giá trị (mapping)", (int)node.Start.Line);
            return null;
        }

        public void CheckKeys(YamlMappingNode map, string path, IReadOnlyCollection<string> allowed)
        {
            foreach (var key in map.Children.Keys)
            {
                var text = (key as YamlScalarNode)?.Value ?? "";
                // "x-…" keys are the format's extension point: ignored, never an error.
                if (!allowed.Contains(text) && !text.StartsWith("x-", StringComparison.Ordinal))
                    Error(Join(path, text), $"Khóa không xác định: '{text}'", (int)key.Start.Line);
            }
        }

        public YamlSequenceNode? Seq(YamlMappingNode map, string key, string path, bool required = false)
        {
            var node = Get(map, key);
            if (node is null)
            {
                if (required) Error(Join(path, key), $"Thiếu '{key}'", (int)map.Start.Line);
                return null;
            }
            if (node is YamlSequenceNode seq) return seq;
            Error(Join(path, key), $"'{key}' phải là một danh sách", (int)node.Start.Line);
            return null;
        }

        public string? Str(YamlMappingNode map, string key, string path, bool required = false)
        {
            var node = Get(map, key);
            if (node is null)
            {
                if (required) Error(Join(path, key), $"Thiếu '{key}'", (int)map.Start.Line);
                return null;
            }
            if (node is YamlScalarNode s) return s.Value?.Trim();
            Error(Join(path, key), $"'{key}' phải là một giá trị đơn", (int)node.Start.Line);
            return null;
        }

        public IReadOnlyList<string>? StrList(YamlMappingNode map, string key, string path)
        {
            var node = Get(map, key);
            switch (node)
            {
                case null: return null;
                case YamlScalarNode s: return s.Value is { Length: > 0 } v ? [v.Trim()] : [];
                case YamlSequenceNode seq:
                    var list = new List<string>();
                    foreach (var item in seq.Children)
                    {
                        if (item is YamlScalarNode { Value: { } itemText }) list.Add(itemText.Trim());
                        else Error(Join(path, key), $"Các phần tử của '{key}' phải là chuỗi", (int)item.Start.Line);
                    }
                    return list;
                default:
                    Error(Join(path, key), $"'{key}' phải là chuỗi hoặc danh sách chuỗi", (int)node.Start.Line);
                    return null;
            }
        }

        public decimal? Dec(YamlMappingNode map, string key, string path, bool required = false)
        {
            var text = Str(map, key, path, required);
            if (text is null) return null;
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                return value;
            Error(Join(path, key), $"'{key}' phải là một số (gặp '{text}')", LineOf(map, key));
            return null;
        }

        public int? Int(YamlMappingNode map, string key, string path, bool required = false)
        {
            var text = Str(map, key, path, required);
            if (text is null) return null;
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
            Error(Join(path, key), $"'{key}' phải là số nguyên (gặp '{text}')", LineOf(map, key));
            return null;
        }

        public bool? Bool(YamlMappingNode map, string key, string path)
        {
            var text = Str(map, key, path);
            switch (text)
            {
                case null: return null;
                case "true" or "True" or "yes": return true;
                case "false" or "False" or "no": return false;
                default:
                    Error(Join(path, key), $"'{key}' phải là true hoặc false (gặp '{text}')", LineOf(map, key));
                    return null;
            }
        }

        public DateOnly? Date(YamlMappingNode map, string key, string path, bool required = false)
        {
            var text = Str(map, key, path, required);
            if (text is null) return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            Error(Join(path, key), $"Ngày '{text}' phải viết dạng ISO yyyy-MM-dd", LineOf(map, key));
            return null;
        }

        /// <summary>A threshold written as in the text, "80%" → 0.8. A bare number is refused: 80 or 0.8 would be a guess.</summary>
        public decimal? Percent(YamlMappingNode map, string key, string path, bool required = false)
        {
            var text = Str(map, key, path, required);
            if (text is null) return null;
            var trimmed = text.Replace(" ", "");
            if (trimmed.EndsWith('%')
                && decimal.TryParse(trimmed[..^1].Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var pct))
                return pct / 100m;
            Error(Join(path, key), $"Ngưỡng '{text}' phải viết dạng phần trăm, ví dụ \"80%\"", LineOf(map, key));
            return null;
        }

        /// <summary>A fraction of max: 0.5 or "1/2" as the texts print it.</summary>
        public decimal? Fraction(YamlMappingNode map, string key, string path)
        {
            var text = Str(map, key, path);
            if (text is null) return null;
            var slash = text.IndexOf('/');
            if (slash > 0
                && decimal.TryParse(text[..slash], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var num)
                && decimal.TryParse(text[(slash + 1)..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var den)
                && den != 0)
                return num / den;
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return value;
            Error(Join(path, key), $"'{key}' phải là một số từ 0 đến 1 hoặc phân số như \"1/2\" (gặp '{text}')", LineOf(map, key));
            return null;
        }
    }
}
