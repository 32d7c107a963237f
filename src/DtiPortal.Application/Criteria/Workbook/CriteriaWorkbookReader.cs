using System.Globalization;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Domain.Criteria;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static DtiPortal.Application.Criteria.Workbook.WorkbookLayout;

namespace DtiPortal.Application.Criteria.Workbook;

/// <summary>
/// Reads a criteria workbook into <c>dti-criteria/1</c> YAML. The YAML is built straight from the cells (not through the
/// <see cref="CriteriaSet"/> model), and every YAML path it writes remembers its sheet, row and column: the loader then
/// judges the set with its own rules and messages, and each of its errors is mapped back to the cell it came from.
/// Cells are passed on as written wherever the loader can judge them ("abc" as max gets the loader's "phải là một số"),
/// so a problem is reported once, by the rule that owns it. The reader itself reports only what the sheets alone can
/// say: the tree's levels, an input naming an unknown criterion, a cell whose form is unreadable.
/// </summary>
internal static partial class CriteriaWorkbookReader
{
    private sealed record Location(string Sheet, int Row, Dictionary<string, string> Columns, string? Column = null);

    private sealed class Context
    {
        public List<WorkbookProblem> Problems { get; } = [];
        public Dictionary<string, Location> Locations { get; } = new(StringComparer.Ordinal);
        public void Problem(string sheet, int? row, string? column, string message) => Problems.Add(new WorkbookProblem(sheet, row, column, message));
    }

    /// <summary>
    /// A criteria set is a few hundred rows: a workbook whose parts unpack to more than this is refused before ClosedXML
    /// loads it into memory (a zip bomb would otherwise take the server's memory with it).
    /// </summary>
    public const long MaxUncompressedBytes = 64L * 1024 * 1024;

    public static WorkbookReadResult Read(Stream input)
    {
        var ctx = new Context();
        var seekable = input.CanSeek ? input : Copy(input);
        if (TooLarge(seekable) is { } tooLarge) return new WorkbookReadResult(null, [new WorkbookProblem("(tệp)", null, null, tooLarge)]);
        XLWorkbook wb;
        try
        {
            wb = new XLWorkbook(seekable);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException or ArgumentException
                                       or InvalidOperationException or System.Xml.XmlException or NotSupportedException
                                       or DocumentFormat.OpenXml.Packaging.OpenXmlPackageException)
        {
            return new WorkbookReadResult(null, [new WorkbookProblem("(tệp)", null, null, $"Không đọc được tệp Excel (.xlsx): {ex.Message}")]);
        }
        using (wb)
        {
            var sheets = new Dictionary<string, IXLWorksheet>(StringComparer.Ordinal);
            foreach (var name in new[] { DecisionSheet, TreeSheet, InputSheet, GeneralSheet, LevelSheet, RequirementSheet, RuleSheet })
            {
                if (wb.Worksheets.TryGetWorksheet(name, out var ws)) sheets[name] = ws;
                else if (name is DecisionSheet or TreeSheet) ctx.Problem(name, null, null, $"Thiếu trang tính \"{name}\"");
            }
            if (ctx.Problems.Count > 0) return new WorkbookReadResult(null, ctx.Problems);

            var root = ReadDecision(ctx, sheets[DecisionSheet]);
            var general = sheets.TryGetValue(GeneralSheet, out var g) ? ReadGeneral(ctx, g, root) : [];
            if (sheets.TryGetValue(LevelSheet, out var l)) ReadLevels(ctx, l, root);
            var nodes = ReadTree(ctx, sheets[TreeSheet], root);
            if (sheets.TryGetValue(InputSheet, out var i)) ReadInputs(ctx, i, nodes, general);
            if (sheets.TryGetValue(RequirementSheet, out var r)) ReadRequirements(ctx, r, nodes);
            if (sheets.TryGetValue(RuleSheet, out var v)) ReadRules(ctx, v, root);

            var yaml = CriteriaSetYamlWriter.Emit(root);
            var result = CriteriaSetLoader.Parse(yaml);
            foreach (var error in result.Errors) ctx.Problems.Add(MapError(ctx, error));
            if (ctx.Problems.Count > 0 || result.Set is not { } set) return new WorkbookReadResult(null, ctx.Problems);

            // "Cách tính" as printed is kept only where it says more than the method's own description (the writer
            // fills the column with that description, so an untouched export does not grow a formula field).
            var changed = false;
            foreach (var (code, node) in nodes)
            {
                if (node.Formula is not { } text || set.Find(code) is not { IsGroup: false } criterion) continue;
                if (text == MethodDescriber.Describe(criterion)) continue;
                node.Map.Add("formula", Text(text));
                changed = true;
            }
            return new WorkbookReadResult(changed ? CriteriaSetYamlWriter.Emit(root) : yaml, []);
        }
    }

    private static MemoryStream Copy(Stream input)
    {
        var copy = new MemoryStream();
        input.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    /// <summary>The refusal when the package's parts unpack to more than <see cref="MaxUncompressedBytes"/>; null when fine or not a zip (ClosedXML then says why).</summary>
    private static string? TooLarge(Stream stream)
    {
        var start = stream.Position;
        try
        {
            using var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                total += entry.Length;
                if (total > MaxUncompressedBytes)
                    return $"Tệp quá lớn: nội dung giải nén vượt {MaxUncompressedBytes / (1024 * 1024)} MB; một bộ chỉ số chỉ vài trăm dòng";
            }
            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
        finally
        {
            stream.Position = start;
        }
    }

    // ───────────────────────────── Decision sheet ─────────────────────────────

    private static YamlMappingNode ReadDecision(Context ctx, IXLWorksheet ws)
    {
        var values = new Dictionary<string, (string Text, int Row)>(StringComparer.Ordinal);
        foreach (var row in ws.RowsUsed().Where(r => r.RowNumber() > 1))
        {
            var label = CellText(row.Cell(1));
            if (label.Length == 0) continue;
            if (!DecisionKeys.ContainsKey(label))
            {
                ctx.Problem(DecisionSheet, row.RowNumber(), "A", $"Mục không xác định: \"{label}\" (các mục: {string.Join(", ", DecisionRows)})");
                continue;
            }
            var cell = row.Cell(2);
            var text = label.StartsWith("Ngày", StringComparison.Ordinal) || label.Contains("hiệu lực", StringComparison.Ordinal)
                ? DateText(ctx, cell, DecisionSheet)
                : CellText(cell);
            values[label] = (text ?? "", row.RowNumber());
        }

        var root = new YamlMappingNode { { "format", Plain(CriteriaSetLoader.FormatName) } };
        var decision = new YamlMappingNode();
        var rootColumns = new Dictionary<string, string>(StringComparer.Ordinal);
        var decisionColumns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in DecisionRows)
        {
            var key = DecisionKeys[label];
            // Every row present names its cell, filled or not: "Thiếu 'id'" then points at the empty cell.
            if (values.TryGetValue(label, out var present)) ctx.Locations[key] = new Location(DecisionSheet, present.Row, [], "B");
            if (!values.TryGetValue(label, out var v) || v.Text.Length == 0)
            {
                if (!values.ContainsKey(label) && key is "id" or "version" or "name" or "level" or "decision.number" or "decision.issuer")
                    ctx.Problem(DecisionSheet, null, null, $"Thiếu dòng \"{label}\"");
                continue;
            }
            var text = v.Text;
            if (key == "level") text = Levels.FirstOrDefault(l => l.Vietnamese.Equals(text, StringComparison.OrdinalIgnoreCase)).Yaml ?? text;
            var node = key is "version" or "year" or "maxPoints" ? Plain(NumberText(text)) : Text(text);
            if (key.StartsWith("decision.", StringComparison.Ordinal))
            {
                var sub = key["decision.".Length..];
                decision.Add(sub, node);
                ctx.Locations[key] = new Location(DecisionSheet, v.Row, [], "B");
            }
            else
            {
                root.Add(key, node);
                ctx.Locations[key] = new Location(DecisionSheet, v.Row, [], "B");
            }
        }
        root.Add("decision", decision);
        ctx.Locations[""] = new Location(DecisionSheet, 1, rootColumns);
        ctx.Locations["decision"] = new Location(DecisionSheet, values.GetValueOrDefault("Số quyết định").Row is var r and > 0 ? r : 1, decisionColumns);
        return root;
    }

    // ───────────────────────────── General information, levels ─────────────────────────────

    /// <summary>Reads the general items; returns printed code → key, for the inputs' "taken from general information".</summary>
    private static Dictionary<string, string> ReadGeneral(Context ctx, IXLWorksheet ws, YamlMappingNode root)
    {
        var byCode = new Dictionary<string, string>(StringComparer.Ordinal);
        var seq = new YamlSequenceNode();
        foreach (var row in DataRows(ws, GeneralColumns.Length))
        {
            var n = row.RowNumber();
            var item = new YamlMappingNode();
            var code = CellText(row.Cell(GCode.Index));
            var key = CellText(row.Cell(GKey.Index));
            AddText(item, "code", code);
            AddText(item, "key", key);
            AddText(item, "label", CellText(row.Cell(GLabel.Index)));
            AddText(item, "unit", CellText(row.Cell(GUnit.Index)));
            var type = CellText(row.Cell(GType.Index));
            if (type.Length > 0) item.Add("type", Plain(TypeYaml(type)));
            if (code.Length > 0 && key.Length > 0) byCode.TryAdd(code, key);
            ctx.Locations[$"general[{seq.Children.Count}]"] = new Location(GeneralSheet, n, Columns(GeneralColumns));
            seq.Add(item);
        }
        if (seq.Children.Count > 0) root.Add("general", seq);
        return byCode;
    }

    /// <summary>
    /// The validation rules sheet: one rule per row after the help row (skipped by its first cell). The loader judges the
    /// rule text and reports a parse error with the rule's code and position, mapped back to the "Quy tắc" cell.
    /// </summary>
    private static void ReadRules(Context ctx, IXLWorksheet ws, YamlMappingNode root)
    {
        var seq = new YamlSequenceNode();
        foreach (var row in DataRows(ws, RuleColumns.Length))
        {
            if (CellText(row.Cell(VCode.Index)).StartsWith(RuleHelpMarker, StringComparison.Ordinal)) continue;
            var item = new YamlMappingNode();
            AddText(item, "code", CellText(row.Cell(VCode.Index)));
            AddText(item, "rule", CellText(row.Cell(VRule.Index)));
            var severity = CellText(row.Cell(VSeverity.Index));
            if (severity.Length > 0)
            {
                var known = Severities.FirstOrDefault(x => string.Equals(x.Vietnamese, severity, StringComparison.OrdinalIgnoreCase));
                // The YAML names are accepted too; anything else goes through as written and gets the loader's message.
                item.Add("severity", Plain(known.Vietnamese is null ? severity : ValidationRule.SeverityName(known.Severity)));
            }
            AddText(item, "message", CellText(row.Cell(VMessage.Index)));
            ctx.Locations[$"validation_rules[{seq.Children.Count}]"] = new Location(RuleSheet, row.RowNumber(), Columns(RuleColumns));
            seq.Add(item);
        }
        if (seq.Children.Count > 0) root.Add("validation_rules", seq);
    }

    private static void ReadLevels(Context ctx, IXLWorksheet ws, YamlMappingNode root)
    {
        var seq = new YamlSequenceNode();
        foreach (var row in DataRows(ws, LevelColumns.Length))
        {
            var item = new YamlMappingNode();
            AddText(item, "level", NumberText(CellText(row.Cell(LNumber.Index))), plain: true);
            AddText(item, "name", CellText(row.Cell(LName.Index)));
            ctx.Locations[$"levels[{seq.Children.Count}]"] = new Location(LevelSheet, row.RowNumber(), Columns(LevelColumns));
            seq.Add(item);
        }
        if (seq.Children.Count > 0) root.Add("levels", seq);
    }

    // ───────────────────────────── The tree ─────────────────────────────

    private sealed class NodeRef(YamlMappingNode map, string path, int row)
    {
        public YamlMappingNode Map { get; } = map;
        public string Path { get; } = path;
        public int Row { get; } = row;
        public string? Formula { get; set; }
        public YamlSequenceNode? Inputs { get; set; }
    }

    private static Dictionary<string, NodeRef> ReadTree(Context ctx, IXLWorksheet ws, YamlMappingNode root)
    {
        var nodes = new Dictionary<string, NodeRef>(StringComparer.Ordinal);
        var tree = new YamlSequenceNode();
        root.Add("tree", tree);
        ctx.Locations["tree"] = new Location(TreeSheet, 1, [], Code.Letter);
        // The open ancestors: stack[d-1] is the last node read at depth d.
        var stack = new List<(YamlMappingNode Map, string Path)>();
        var columns = Columns(TreeColumns);
        foreach (var row in DataRows(ws, TreeColumns.Length))
        {
            var n = row.RowNumber();
            string Cell(Column c) => CellText(row.Cell(c.Index));

            var depthText = Cell(Depth);
            int depth;
            if (depthText.Length == 0) depth = 1;
            else if (!int.TryParse(NumberText(depthText), NumberStyles.None, CultureInfo.InvariantCulture, out depth) || depth < 1)
            {
                ctx.Problem(TreeSheet, n, Depth.Letter, $"Cấp trong cây phải là số nguyên từ 1 (gặp \"{depthText}\")");
                continue;
            }
            if (depth > stack.Count + 1)
            {
                ctx.Problem(TreeSheet, n, Depth.Letter,
                    stack.Count == 0
                        ? $"Dòng đầu tiên phải ở cấp 1 (gặp cấp {depth})"
                        : $"Cấp {depth} nhảy bậc: dòng phía trên gần nhất ở cấp {stack.Count}, nên dòng này chỉ được ở cấp 1 đến {stack.Count + 1}");
                continue;
            }

            var map = new YamlMappingNode();
            AddText(map, "code", Cell(Code));
            var kind = Cell(Kind);
            if (kind.Length > 0) map.Add("kind", Plain(Kinds.FirstOrDefault(k => k.Vietnamese.Equals(kind, StringComparison.OrdinalIgnoreCase)) is { Vietnamese: not null } k
                ? k.Kind.ToString().ToLowerInvariant() : kind));
            AddText(map, "name", Cell(Name));
            AddText(map, "max", NumberText(Cell(Max)), plain: true);

            var method = Cell(Method);
            if (method.Length > 0)
            {
                var known = Methods.FirstOrDefault(m => m.Vietnamese.Equals(method, StringComparison.OrdinalIgnoreCase));
                var kindOfMethod = known.Vietnamese is not null ? known.Kind : (MethodKind?)null;
                var methodName = kindOfMethod is { } mk ? ScoringMethod.NameOf(mk) : method;
                map.Add("method", Plain(methodName));
                ReadParameters(ctx, map, n, methodName, Cell(Expression), Cell(ThresholdColumn), Cell(Steps));
                AddText(map, "requires", Cell(Requires), plain: true);
                AddText(map, "pointsEach", NumberText(Cell(PointsEach)), plain: true);
                var mode = Cell(Mode);
                if (mode.Length > 0)
                    map.Add("mode", Plain(Modes.FirstOrDefault(m => m.Vietnamese.Equals(mode, StringComparison.OrdinalIgnoreCase)) is { Vietnamese: not null } pm
                        ? (pm.Mode == PeerMode.Best ? "best" : "min-max") : mode));
                var zero = Cell(ZeroDenominator);
                if (zero.Length > 0)
                    map.Add("zeroDenominator", Plain(ZeroRules.FirstOrDefault(z => z.Vietnamese.Equals(zero, StringComparison.OrdinalIgnoreCase)) is { Vietnamese: not null } zr
                        ? (zr.Rule == ZeroDenominatorRule.Max ? "max" : "zero") : zero));
            }
            else
            {
                // No method: parameters left in the row are passed on, so the loader says they need one.
                AddText(map, "ratio", Cell(Expression));
                AddText(map, "target", Cell(ThresholdColumn));
                AddText(map, "requires", Cell(Requires), plain: true);
                AddText(map, "pointsEach", NumberText(Cell(PointsEach)), plain: true);
            }

            AddList(map, "evidence", Cell(EvidenceColumn));
            var required = Cell(EvidenceRequired);
            if (required.Length > 0)
                map.Add("evidenceRequired", Plain(required.Equals(Yes, StringComparison.OrdinalIgnoreCase) ? "true"
                    : required.Equals(No, StringComparison.OrdinalIgnoreCase) ? "false" : required));
            AddText(map, "dataSource", Cell(DataSource));
            AddText(map, "lead", Cell(Lead));
            AddList(map, "coordinating", Cell(Coordinating));
            var period = Cell(Period);
            if (period.Length > 0)
            {
                var items = period.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(p => Periods.FirstOrDefault(x => x.Vietnamese.Equals(p, StringComparison.OrdinalIgnoreCase)).Yaml ?? p);
                map.Add("period", new YamlSequenceNode(items.Select(p => (YamlNode)Text(p))));
            }
            AddText(map, "legalBasis", Cell(LegalBasis));
            AddText(map, "note", Cell(Note));

            // Place the node under its parent.
            while (stack.Count >= depth) stack.RemoveAt(stack.Count - 1);
            string path;
            if (depth == 1)
            {
                path = $"tree[{tree.Children.Count}]";
                tree.Add(map);
            }
            else
            {
                var parent = stack[^1];
                if (parent.Map.Children.TryGetValue(new YamlScalarNode("children"), out var c) is false)
                {
                    c = new YamlSequenceNode();
                    parent.Map.Add("children", c);
                }
                var children = (YamlSequenceNode)c;
                path = $"{parent.Path}.children[{children.Children.Count}]";
                children.Add(map);
            }
            stack.Add((map, path));
            ctx.Locations[path] = new Location(TreeSheet, n, columns);

            var code = Cell(Code);
            var formula = Cell(Formula);
            if (code.Length > 0 && !nodes.ContainsKey(code))
                nodes[code] = new NodeRef(map, path, n) { Formula = formula.Length > 0 ? formula : null };
        }
        return nodes;
    }

    /// <summary>The method's expression, threshold and steps/tiers/options/parts, under the keys the method uses.</summary>
    private static void ReadParameters(Context ctx, YamlMappingNode map, int row, string method, string expression, string threshold, string steps)
    {
        if (expression.Length > 0) map.Add(method is "count-tiers" or "capped-count" ? "count" : "ratio", Text(expression));
        if (threshold.Length > 0) map.Add(method == "band" ? "lower" : "target", Text(threshold));
        if (steps.Length == 0) return;
        var key = method switch
        {
            "ratio-steps" => "steps",
            "count-tiers" => "tiers",
            "choice" => "options",
            "parts" => "parts",
            _ => null,
        };
        if (key is null)
        {
            ctx.Problem(TreeSheet, row, WorkbookLayout.Steps.Letter, $"Phương pháp \"{method}\" không dùng cột \"{WorkbookLayout.Steps.Header}\"; hãy để trống");
            return;
        }
        var seq = new YamlSequenceNode();
        var lines = steps.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Replace("->", "→", StringComparison.Ordinal);
            var arrow = line.LastIndexOf('→');
            if (arrow < 0)
            {
                ctx.Problem(TreeSheet, row, WorkbookLayout.Steps.Letter, $"Dòng {i + 1} \"{lines[i]}\": thiếu dấu → trước phần điểm (ví dụ \"80% → 1\")");
                continue;
            }
            var left = line[..arrow].Trim();
            var share = line[(arrow + 1)..].Trim();
            var item = new YamlMappingNode();
            switch (key)
            {
                case "steps":
                    item.Add("min", Text(left.TrimStart('≥', '>', '=', ' ')));
                    break;
                case "tiers":
                    item.Add("min", Plain(NumberText(left.TrimStart('≥', '>', '=', ' '))));
                    break;
                case "options":
                    item.Add("label", Text(left));
                    break;
                default:
                    var colon = left.IndexOf(':');
                    if (colon <= 0)
                    {
                        ctx.Problem(TreeSheet, row, WorkbookLayout.Steps.Letter, $"Dòng {i + 1} \"{lines[i]}\": nội dung viết dạng \"a: Tên nội dung → phần điểm\"");
                        continue;
                    }
                    item.Add("key", Plain(left[..colon].Trim()));
                    item.Add("label", Text(left[(colon + 1)..].Trim()));
                    break;
            }
            var points = PointsPattern().Match(share);
            if (points.Success) item.Add("points", Plain(NumberText(points.Groups[1].Value)));
            else item.Add("fraction", Plain(share.Replace(',', '.')));
            seq.Add(item);
        }
        map.Add(key, seq);
    }

    [GeneratedRegex(@"^(.+?)\s*điểm$", RegexOptions.IgnoreCase)]
    private static partial Regex PointsPattern();

    // ───────────────────────────── Inputs ─────────────────────────────

    private static void ReadInputs(Context ctx, IXLWorksheet ws, Dictionary<string, NodeRef> nodes, Dictionary<string, string> general)
    {
        var columns = Columns(InputColumns);
        foreach (var row in DataRows(ws, InputColumns.Length))
        {
            var n = row.RowNumber();
            var code = CellText(row.Cell(InCriterion.Index));
            if (code.Length == 0)
            {
                ctx.Problem(InputSheet, n, InCriterion.Letter, "Thiếu mã tiêu chí của đầu vào");
                continue;
            }
            if (!nodes.TryGetValue(code, out var node))
            {
                ctx.Problem(InputSheet, n, InCriterion.Letter, $"Không có tiêu chí mã \"{code}\" trên trang \"{TreeSheet}\"");
                continue;
            }
            if (node.Inputs is null)
            {
                node.Inputs = new YamlSequenceNode();
                node.Map.Add("inputs", node.Inputs);
            }
            var item = new YamlMappingNode();
            AddText(item, "key", CellText(row.Cell(InKey.Index)), plain: true);
            AddText(item, "label", CellText(row.Cell(InLabel.Index)));
            AddText(item, "unit", CellText(row.Cell(InUnit.Index)));
            var type = CellText(row.Cell(InType.Index));
            if (type.Length > 0) item.Add("type", Plain(TypeYaml(type)));
            var generalCode = CellText(row.Cell(InGeneral.Index));
            if (generalCode.Length > 0)
            {
                if (general.TryGetValue(generalCode, out var key)) item.Add("general", Plain(key));
                else if (general.ContainsValue(generalCode)) item.Add("general", Plain(generalCode)); // the key written instead of the code
                else ctx.Problem(InputSheet, n, InGeneral.Letter, $"Không có mục thông tin chung mã \"{generalCode}\" trên trang \"{GeneralSheet}\"");
            }
            ctx.Locations[$"{node.Path}.inputs[{node.Inputs.Children.Count}]"] = new Location(InputSheet, n, columns);
            node.Inputs.Add(item);
        }
    }

    // ───────────────────────────── Level requirements ─────────────────────────────

    private static void ReadRequirements(Context ctx, IXLWorksheet ws, Dictionary<string, NodeRef> nodes)
    {
        // Level columns by their header ("Mức 3" → 3), wherever they are.
        var levelColumns = new List<(int Level, int Column)>();
        var lastColumn = ws.LastColumnUsed()?.ColumnNumber() ?? 0;
        for (var c = FirstLevelColumn; c <= lastColumn; c++)
        {
            var header = CellText(ws.Cell(1, c));
            var m = LevelHeaderPattern().Match(header);
            if (m.Success) levelColumns.Add((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), c));
            else if (header.Length > 0) ctx.Problem(RequirementSheet, 1, ColumnLetter(c), $"Tiêu đề cột phải là \"Mức N\" (gặp \"{header}\")");
        }
        foreach (var row in DataRows(ws, Math.Max(lastColumn, RequirementColumns.Length)))
        {
            var n = row.RowNumber();
            var code = CellText(row.Cell(RCode.Index));
            if (code.Length == 0)
            {
                ctx.Problem(RequirementSheet, n, RCode.Letter, "Thiếu mã tiêu chí");
                continue;
            }
            if (!nodes.TryGetValue(code, out var node))
            {
                ctx.Problem(RequirementSheet, n, RCode.Letter, $"Không có tiêu chí mã \"{code}\" trên trang \"{TreeSheet}\"");
                continue;
            }
            var columns = Columns(RequirementColumns);
            var value = CellText(row.Cell(RValue.Index));
            if (value.Length > 0)
            {
                var v = ValuePattern().Match(value);
                YamlMappingNode? vm = value.Equals(LowerLevelsValue, StringComparison.OrdinalIgnoreCase)
                    ? new YamlMappingNode { { "lowerLevels", Plain("true") } }
                    : v.Success
                        ? new YamlMappingNode
                        {
                            {
                                v.Groups[1].Value.ToLowerInvariant() switch { "tỷ lệ" => "ratio", "có" => "present", _ => "count" },
                                Text(v.Groups[2].Value.Trim())
                            },
                        }
                        : null;
                if (vm is null) ctx.Problem(RequirementSheet, n, RValue.Letter, $"Giá trị xét mức không đọc được: \"{value}\" (Tỷ lệ a/b; Có a; Số lượng a; {LowerLevelsValue})");
                else node.Map.Add("value", vm);
            }
            var all = CellText(row.Cell(RAllPrevious.Index));
            var atLeast = CellText(row.Cell(RAtLeast.Index));
            if (all.Length > 0 || atLeast.Length > 0)
            {
                var am = new YamlMappingNode();
                AddText(am, "allAtLeastPrevious", all);
                AddText(am, "atLeast", atLeast);
                node.Map.Add("aggregate", am);
                ctx.Locations[$"{node.Path}.aggregate"] = new Location(RequirementSheet, n,
                    new() { ["allAtLeastPrevious"] = RAllPrevious.Letter, ["atLeast"] = RAtLeast.Letter }, RAllPrevious.Letter);
            }
            var levels = new YamlMappingNode();
            var levelLetters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (level, column) in levelColumns)
            {
                var text = CellText(row.Cell(column));
                levelLetters[level.ToString(CultureInfo.InvariantCulture)] = ColumnLetter(column);
                if (text.Length == 0 || text.Equals(AggregateRequirement, StringComparison.OrdinalIgnoreCase)) continue;
                var req = Requirement(text);
                if (req is null)
                    ctx.Problem(RequirementSheet, n, ColumnLetter(column), $"Yêu cầu không đọc được: \"{text}\". {LevelHelp}");
                else levels.Add(Plain(level.ToString(CultureInfo.InvariantCulture)), req);
            }
            if (levels.Children.Count > 0) node.Map.Add("levels", levels);
            ctx.Locations[$"{node.Path}.levels"] = new Location(RequirementSheet, n, levelLetters, levelColumns.Count > 0 ? ColumnLetter(levelColumns[0].Column) : null);
            ctx.Locations[$"{node.Path}.value"] = new Location(RequirementSheet, n, columns, RValue.Letter);
        }
    }

    [GeneratedRegex(@"^Mức\s+(\d+)$", RegexOptions.IgnoreCase)]
    private static partial Regex LevelHeaderPattern();

    [GeneratedRegex(@"^(Tỷ lệ|Có|Số lượng)\s+(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ValuePattern();

    [GeneratedRegex(@"^(?:≥|>=|Tối thiểu)\s*([0-9][0-9.,]*)\s*(%?)\s*(?:\(\s*([A-Za-z][A-Za-z0-9]*)\s*\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex MinPattern();

    [GeneratedRegex(@"^Có(?:\s*\(\s*([A-Za-z][A-Za-z0-9]*)\s*\))?$", RegexOptions.IgnoreCase)]
    private static partial Regex PresentPattern();

    /// <summary>"A hoặc B và C": any of (all of atoms); null when a part is unreadable.</summary>
    private static YamlNode? Requirement(string text)
    {
        if (text.Equals(NotApplicable, StringComparison.OrdinalIgnoreCase)) return Plain("na");
        var anyItems = text.Split(" hoặc ", StringSplitOptions.TrimEntries);
        var any = new List<YamlNode>();
        foreach (var anyItem in anyItems)
        {
            var atoms = anyItem.Split(" và ", StringSplitOptions.TrimEntries).Select(Atom).ToList();
            if (atoms.Any(a => a is null)) return null;
            any.Add(atoms.Count == 1 ? atoms[0]! : new YamlMappingNode { { "all", new YamlSequenceNode(atoms!) } });
        }
        return any.Count == 1 ? any[0] : new YamlMappingNode { { "any", new YamlSequenceNode(any) } };
    }

    private static YamlNode? Atom(string text)
    {
        var present = PresentPattern().Match(text);
        if (present.Success)
            return present.Groups[1].Success ? new YamlMappingNode { { "present", Plain(present.Groups[1].Value) } } : Plain("present");
        var min = MinPattern().Match(text);
        if (!min.Success) return null;
        var number = NumberText(min.Groups[1].Value);
        var map = min.Groups[2].Value == "%"
            ? new YamlMappingNode { { "min", Text(number + "%") } }
            : new YamlMappingNode { { "minCount", Plain(number) } };
        if (min.Groups[3].Success) map.Add("of", Plain(min.Groups[3].Value));
        return map;
    }

    // ───────────────────────────── Mapping the loader's errors back ─────────────────────────────

    private static WorkbookProblem MapError(Context ctx, CriteriaLoadError error)
    {
        // The longest recorded path that prefixes the error's path names the row; the next key names the column.
        var path = error.Path;
        var probe = path;
        while (true)
        {
            if (ctx.Locations.TryGetValue(probe, out var loc))
            {
                string? column = loc.Column;
                if (probe.Length < path.Length)
                {
                    var rest = path[(probe.Length == 0 ? 0 : probe.Length + 1)..];
                    var key = rest.Split('.', '[')[0];
                    if (loc.Columns.TryGetValue(key, out var letter)) column = letter;
                }
                return new WorkbookProblem(loc.Sheet, loc.Row, column, Reword(loc.Sheet, path, error.Message));
            }
            if (probe.Length == 0) break;
            var cut = Math.Max(probe.LastIndexOf('.'), probe.LastIndexOf('['));
            probe = cut <= 0 ? "" : probe[..cut];
        }
        return new WorkbookProblem(DecisionSheet, null, null, error.Message);
    }

    [GeneratedRegex(@"^Thiếu '(\w+)'$")]
    private static partial Regex MissingKeyPattern();

    /// <summary>The loader's "Thiếu 'name'" said with the workbook's own words: "Chưa điền \"Tên chỉ số, tiêu chí\"".</summary>
    private static string Reword(string sheet, string path, string message)
    {
        var m = MissingKeyPattern().Match(message);
        if (!m.Success) return message;
        var key = m.Groups[1].Value;
        string? header = sheet switch
        {
            DecisionSheet => DecisionKeys.FirstOrDefault(kv => kv.Value == key || kv.Value == "decision." + key && path.StartsWith("decision", StringComparison.Ordinal)).Key,
            TreeSheet => TreeColumns.FirstOrDefault(c => c.Keys.Contains(key))?.Header,
            InputSheet => InputColumns.FirstOrDefault(c => c.Keys.Contains(key))?.Header,
            GeneralSheet => GeneralColumns.FirstOrDefault(c => c.Keys.Contains(key))?.Header,
            LevelSheet => LevelColumns.FirstOrDefault(c => c.Keys.Contains(key))?.Header,
            RequirementSheet => RequirementColumns.FirstOrDefault(c => c.Keys.Contains(key))?.Header,
            RuleSheet => RuleColumns.FirstOrDefault(c => c.Keys.Contains(key))?.Header,
            _ => null,
        };
        return header is null ? message : $"Chưa điền \"{header}\"";
    }

    // ───────────────────────────── Cells ─────────────────────────────

    /// <summary>Data rows (below the header) that hold anything in the first <paramref name="columns"/> columns.</summary>
    private static IEnumerable<IXLRow> DataRows(IXLWorksheet ws, int columns)
    {
        var last = ws.LastRowUsed()?.RowNumber() ?? 0;
        for (var r = 2; r <= last; r++)
        {
            var row = ws.Row(r);
            var any = false;
            for (var c = 1; c <= columns && !any; c++) any = CellText(row.Cell(c)).Length > 0;
            if (any) yield return row;
        }
    }

    private static Dictionary<string, string> Columns(IEnumerable<Column> columns)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in columns)
            foreach (var key in c.Keys) map.TryAdd(key, c.Letter);
        return map;
    }

    /// <summary>A cell as the text the YAML needs: numbers invariant (2.5), dates ISO, texts trimmed and un-neutralised.</summary>
    private static string CellText(IXLCell cell)
    {
        if (cell.IsEmpty()) return "";
        switch (cell.DataType)
        {
            case XLDataType.Number:
                // A percentage typed into Excel (80%) is the number 0.8 shown with a % format: give back "80%".
                var number = (decimal)cell.GetDouble();
                return cell.Style.NumberFormat.Format.Contains('%', StringComparison.Ordinal) || cell.Style.NumberFormat.NumberFormatId is 9 or 10
                    ? CriteriaSetYamlWriter.Percent(number)
                    : CriteriaSetYamlWriter.Dec(number);
            case XLDataType.DateTime:
                return cell.GetDateTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case XLDataType.Boolean:
                return cell.GetBoolean() ? Yes : No;
            default:
                return TableFile.Unneutralise(cell.GetString().Replace("\r\n", "\n", StringComparison.Ordinal).Trim());
        }
    }

    private static string? DateText(Context ctx, IXLCell cell, string sheet)
    {
        // A date typed into a date-formatted (or text-formatted, then re-typed) cell may arrive as its serial number.
        if (cell.DataType == XLDataType.Number && cell.GetDouble() is >= 1 and < 2958466 and var serial && serial == Math.Floor(serial))
            return DateOnly.FromDateTime(DateTime.FromOADate(serial)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var text = CellText(cell);
        if (text.Length == 0) return text;
        if (DateOnly.TryParseExact(text, ["dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        ctx.Problem(sheet, cell.Address.RowNumber, cell.Address.ColumnLetter, $"Ngày \"{text}\" phải viết dạng dd/mm/yyyy");
        return null;
    }

    /// <summary>A number as typed (decimal comma or point, "1.000" is not a thousands separator here) → invariant text.</summary>
    private static string NumberText(string text) => text.Replace(" ", "", StringComparison.Ordinal).Replace(',', '.');

    private static string TypeYaml(string text) =>
        Types.FirstOrDefault(t => t.Vietnamese.Equals(text, StringComparison.OrdinalIgnoreCase)) is { Vietnamese: not null } t
            ? CriteriaSetYamlWriter.TypeName(t.Type) : text;

    private static void AddText(YamlMappingNode map, string key, string text, bool plain = false)
    {
        if (text.Length > 0) map.Add(key, plain ? Plain(text) : Text(text));
    }

    private static void AddList(YamlMappingNode map, string key, string text)
    {
        var items = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (items.Length > 0) map.Add(key, new YamlSequenceNode(items.Select(i => (YamlNode)Text(i))));
    }

    private static YamlScalarNode Plain(string text) => new(text) { Style = ScalarStyle.Plain };

    private static YamlScalarNode Text(string text) => new(text) { Style = ScalarStyle.DoubleQuoted };
}
