using ClosedXML.Excel;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Domain.Criteria;
using static DtiPortal.Application.Criteria.Workbook.WorkbookLayout;

namespace DtiPortal.Application.Criteria.Workbook;

/// <summary>
/// Writes a set (or, with null, a blank template) in the workbook layout of <see cref="WorkbookLayout"/>. Texts are written as
/// text cells (never guessed as numbers or dates: "1.10" stays a code) and pass through <see cref="TableFile.Neutralise"/>.
/// Widths are set by hand: ClosedXML's AdjustToContents needs System.Drawing, which fails on Linux.
/// </summary>
internal static class CriteriaWorkbookWriter
{
    /// <summary>Rows given drop-downs and help in an empty template (and below the last row of a set), for the admin to fill.</summary>
    private const int SpareRows = 300;

    public static void Write(CriteriaSet? set, Stream output)
    {
        using var wb = new XLWorkbook();
        WriteHelp(wb.Worksheets.Add(HelpSheet));
        var decision = wb.Worksheets.Add(DecisionSheet);
        var tree = wb.Worksheets.Add(TreeSheet);
        var inputs = wb.Worksheets.Add(InputSheet);
        var general = wb.Worksheets.Add(GeneralSheet);
        var levels = wb.Worksheets.Add(LevelSheet);
        var requirements = wb.Worksheets.Add(RequirementSheet);
        var rules = wb.Worksheets.Add(RuleSheet);
        var lists = WriteLists(wb.Worksheets.Add(ListSheet));

        WriteDecision(decision, set, lists);
        var treeRows = WriteTree(tree, set, lists);
        var inputRows = WriteInputs(inputs, set, lists);
        var generalRows = WriteGeneral(general, set, lists);
        var levelRows = WriteLevels(levels, set);
        WriteRequirements(requirements, set, lists);
        WriteRules(rules, set, lists);
        _ = (treeRows, inputRows, generalRows, levelRows);
        wb.Worksheet(TreeSheet).SetTabActive();
        wb.SaveAs(output);
    }

    private static void WriteHelp(IXLWorksheet ws)
    {
        string[] lines =
        [
            "HƯỚNG DẪN SỬ DỤNG TỆP BỘ CHỈ SỐ",
            "",
            "Tệp này mô tả một bộ chỉ số (bộ tiêu chí) đánh giá chuyển đổi số để nạp vào Cổng DTI. Mỗi trang tính là một phần của bộ chỉ số:",
            $"• \"{DecisionSheet}\": mã, phiên bản, tên bộ chỉ số và quyết định ban hành (số, ngày, cơ quan ban hành, thời gian hiệu lực).",
            $"• \"{TreeSheet}\": bảng chỉ số theo bố cục phụ lục của quyết định (STT/Mã, Tên, Điểm tối đa, Cách tính, Tài liệu kiểm chứng, Nguồn số liệu, Đơn vị chủ trì, Đơn vị phối hợp, Kỳ) " +
                "và các cột giúp hệ thống chấm điểm (Cấp trong cây, Loại, Phương pháp tính điểm, Công thức, Ngưỡng, Bậc/phương án…).",
            $"• \"{InputSheet}\": các đầu vào của từng tiêu chí, theo chữ cái in trong quyết định (a = …, b = …). Tiêu chí chỉ có một giá trị thì không cần khai báo đầu vào.",
            $"• \"{GeneralSheet}\": các mục thông tin chung (dân số, số hộ, số công chức…) nhập một lần và dùng làm mẫu số.",
            $"• \"{RuleSheet}\": các quy tắc kiểm tra số liệu (ví dụ 6.2.c + 6.2.d <= 6.2.a + 6.2.b): Lỗi thì số liệu bị từ chối khi nhập; Cảnh báo thì vẫn lưu nhưng đơn vị phải giải trình trước khi nộp.",
            $"• \"{LevelSheet}\" và \"{RequirementSheet}\": chỉ dùng cho bộ xét mức độ chuyển đổi số (Quyết định 2361/QĐ-BTTTT): tên các mức và yêu cầu của từng tiêu chí ở mỗi mức.",
            "",
            "Cách nhập:",
            "• Mỗi dòng của trang \"Chỉ số\" là một chỉ số hoặc tiêu chí, theo thứ tự in trong quyết định. Cột \"Cấp trong cây\" cho biết dòng đó là con của dòng nào: " +
                "cấp 1 là chỉ số chính; cấp 2 là con của dòng cấp 1 gần nhất phía trên; cứ thế tiếp tục. Dòng có dòng con là nhóm: điểm tối đa của nhóm phải bằng tổng điểm của các dòng con.",
            "• Chọn phương pháp tính điểm trong danh sách thả xuống, rồi điền công thức và tham số của phương pháp đó (xem chú thích ở tiêu đề mỗi cột).",
            "• Ngưỡng viết dạng phần trăm như trong văn bản: 80%, 0,25%. Phần điểm viết là phần của điểm tối đa (1; 0,5; 1/4) hoặc số điểm (\"5 điểm\").",
            "• Số thập phân dùng dấu phẩy (0,5) hoặc dấu chấm (0.5); ngày viết dd/mm/yyyy.",
            "• Di chuột lên tiêu đề cột để xem hướng dẫn; ô có danh sách thả xuống hiện gợi ý khi chọn.",
            "",
            "Khi nạp tệp, hệ thống kiểm tra toàn bộ và liệt kê mọi lỗi kèm tên trang tính, dòng và cột. Chỉ khi không còn lỗi nào bộ chỉ số mới được nạp; có lỗi thì không nạp gì.",
            "Tệp xuất từ một phiên bản đã lưu, nạp lại không sửa gì, cho bộ chỉ số chấm điểm giống hệt.",
        ];
        for (var i = 0; i < lines.Length; i++) Put(ws.Cell(i + 1, 1), lines[i]);
        ws.Cell(1, 1).Style.Font.Bold = true;
        ws.Cell(1, 1).Style.Font.FontSize = 14;
        ws.Column(1).Width = 140;
        ws.Column(1).Style.Alignment.WrapText = true;
    }

    /// <summary>The hidden sheet holding the drop-downs' lists (a list written inline would break on its commas).</summary>
    private static Dictionary<string, IXLRange> WriteLists(IXLWorksheet ws)
    {
        var lists = new Dictionary<string, IXLRange>();
        void List(string name, int column, IEnumerable<string> items)
        {
            Put(ws.Cell(1, column), name);
            var values = items.ToArray();
            for (var i = 0; i < values.Length; i++) Put(ws.Cell(i + 2, column), values[i]);
            lists[name] = ws.Range(2, column, values.Length + 1, column);
        }
        List("method", 1, Methods.Select(m => m.Vietnamese));
        List("kind", 2, Kinds.Select(k => k.Vietnamese));
        List("type", 3, Types.Where(t => t.Type is not (InputType.Text or InputType.Date)).Select(t => t.Vietnamese));
        List("generalType", 4, Types.Where(t => t.Type != InputType.Boolean).Select(t => t.Vietnamese));
        List("mode", 5, Modes.Select(m => m.Vietnamese));
        List("zero", 6, ZeroRules.Select(z => z.Vietnamese));
        List("yesno", 7, [Yes, No]);
        List("level", 8, Levels.Select(l => l.Vietnamese));
        List("period", 9, Periods.Select(p => p.Vietnamese));
        List("severity", 10, Severities.Select(x => x.Vietnamese));
        ws.Hide();
        return lists;
    }

    private static void WriteDecision(IXLWorksheet ws, CriteriaSet? set, Dictionary<string, IXLRange> lists)
    {
        Header(ws, [new Column(1, "Mục", [], 26, "Tên mục; không sửa."), new Column(2, "Nội dung", [], 70, "Điền nội dung của mục.")]);
        var d = set?.Decision;
        string? Value(string row) => row switch
        {
            "Mã bộ chỉ số" => set?.Id,
            "Phiên bản" => set?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "Tên bộ chỉ số" => set?.Name,
            "Cấp đánh giá" => set is null ? null : Levels.First(l => l.Yaml == set.Level).Vietnamese,
            "Năm đánh giá" => set?.Year?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "Tổng điểm tối đa" => set?.MaxPoints is { } m ? Number(m) : null,
            "Nguồn" => set?.Source,
            "Số quyết định" => d?.Number,
            "Ngày ban hành" => Date(d?.Date),
            "Cơ quan ban hành" => d?.Issuer,
            "Có hiệu lực từ ngày" => Date(d?.EffectiveFrom),
            "Hết hiệu lực từ ngày" => Date(d?.EffectiveTo),
            _ => null,
        };
        for (var i = 0; i < DecisionRows.Length; i++)
        {
            var row = i + 2;
            var label = DecisionRows[i];
            Put(ws.Cell(row, 1), label);
            ws.Cell(row, 1).Style.Font.Bold = true;
            var cell = ws.Cell(row, 2);
            cell.Style.NumberFormat.Format = "@";
            if (Value(label) is { } v) Put(cell, v);
            if (DecisionHelp.TryGetValue(label, out var help)) cell.Comment.AddText(help);
        }
        var levelRow = Array.IndexOf(DecisionRows, "Cấp đánh giá") + 2;
        Validate(ws.Range(levelRow, 2, levelRow, 2), lists["level"], "Cấp đánh giá", "Chọn Xã, Huyện hoặc Tỉnh.");
        ws.Column(2).Style.Alignment.WrapText = true;
    }

    private static int WriteTree(IXLWorksheet ws, CriteriaSet? set, Dictionary<string, IXLRange> lists)
    {
        Header(ws, TreeColumns);
        var row = 2;
        if (set is not null)
            foreach (var node in set.Tree) row = WriteNode(ws, node, 1, row);
        var last = row + SpareRows;
        foreach (var c in new[] { Code, Expression, ThresholdColumn, Steps, Requires, Period })
            ws.Range(2, c.Index, last, c.Index).Style.NumberFormat.Format = "@";
        Validate(ws.Range(2, Method.Index, last, Method.Index), lists["method"], Method.Header, Method.Help);
        Validate(ws.Range(2, Kind.Index, last, Kind.Index), lists["kind"], Kind.Header, Kind.Help);
        Validate(ws.Range(2, Mode.Index, last, Mode.Index), lists["mode"], Mode.Header, Mode.Help);
        Validate(ws.Range(2, ZeroDenominator.Index, last, ZeroDenominator.Index), lists["zero"], ZeroDenominator.Header, ZeroDenominator.Help);
        Validate(ws.Range(2, EvidenceRequired.Index, last, EvidenceRequired.Index), lists["yesno"], EvidenceRequired.Header, EvidenceRequired.Help);
        var depth = ws.Range(2, Depth.Index, last, Depth.Index).SetDataValidation();
        depth.WholeNumber.Between(1, 9);
        Messages(depth, Depth.Header, Depth.Help);
        ws.Range(2, 1, last, TreeColumns.Length).Style.Alignment.WrapText = true;
        ws.Range(2, 1, last, TreeColumns.Length).Style.Alignment.Vertical = XLAlignmentVerticalValues.Top;
        ws.SheetView.FreezeRows(1);
        ws.SheetView.FreezeColumns(2);
        return row;
    }

    private static int WriteNode(IXLWorksheet ws, CriterionNode node, int depth, int row)
    {
        Put(ws.Cell(row, Code.Index), node.Code);
        Put(ws.Cell(row, Name.Index), node.Name);
        if (node.IsGroup || node.Method is not null || node.Max != 0) ws.Cell(row, Max.Index).SetValue(node.Max);
        Put(ws.Cell(row, Formula.Index), node.Details.Formula ?? (node.IsGroup ? null : MethodDescriber.Describe(node)));
        Put(ws.Cell(row, EvidenceColumn.Index), Lines(node.Details.Evidence));
        Put(ws.Cell(row, DataSource.Index), node.Details.DataSource);
        Put(ws.Cell(row, Lead.Index), node.Details.Lead);
        Put(ws.Cell(row, Coordinating.Index), Lines(node.Details.Coordinating));
        Put(ws.Cell(row, Period.Index), string.Join(", ", node.Details.Period.Select(p => Periods.First(x => x.Yaml == p).Vietnamese)));
        ws.Cell(row, Depth.Index).SetValue(depth);
        Put(ws.Cell(row, Kind.Index), Kinds.First(k => k.Kind == node.Kind).Vietnamese);
        if (node.IsGroup)
        {
            ws.Range(row, 1, row, TreeColumns.Length).Style.Font.Bold = true;
            ws.Range(row, 1, row, TreeColumns.Length).Style.Fill.BackgroundColor = depth == 1 ? XLColor.FromHtml("#DCE6F1") : XLColor.FromHtml("#EEF3F8");
        }
        if (node.Method is { } m)
        {
            Put(ws.Cell(row, Method.Index), Methods.First(x => x.Kind == m.Kind).Vietnamese);
            Put(ws.Cell(row, Expression.Index), (m.Ratio ?? m.Count)?.Source);
            Put(ws.Cell(row, ThresholdColumn.Index), (m.Target ?? m.Lower) is { } t ? VnPercent(t) : null);
            Put(ws.Cell(row, Steps.Index), StepLines(m));
            Put(ws.Cell(row, Requires.Index), m.Requires);
            if (m.Kind == MethodKind.CappedCount && m.PointsEach is { } each) ws.Cell(row, PointsEach.Index).SetValue(each);
            if (m.Kind == MethodKind.PeerRelative) Put(ws.Cell(row, Mode.Index), Modes.First(x => x.Mode == m.Mode).Vietnamese);
            if (m.ZeroDenominator == ZeroDenominatorRule.Max) Put(ws.Cell(row, ZeroDenominator.Index), ZeroRules.First(z => z.Rule == ZeroDenominatorRule.Max).Vietnamese);
        }
        if (node.Details.EvidenceRequired) Put(ws.Cell(row, EvidenceRequired.Index), Yes);
        Put(ws.Cell(row, LegalBasis.Index), node.Details.LegalBasis);
        Put(ws.Cell(row, Note.Index), node.Details.Note);
        row++;
        foreach (var child in node.Children) row = WriteNode(ws, child, depth + 1, row);
        return row;
    }

    /// <summary>Steps, tiers, options or parts, one per line: "80% → 1", "10 → 1/2", "Chủ tịch UBND xã → 1", "a: Có cổng → 5 điểm".</summary>
    internal static string? StepLines(ScoringMethod m) => m.Kind switch
    {
        MethodKind.RatioSteps => string.Join("\n", m.Thresholds.Select(t => $"{VnPercent(t.Min)} → {Share(t.Fraction, t.Points)}")),
        MethodKind.CountTiers => string.Join("\n", m.Thresholds.Select(t => $"{Number(t.Min)} → {Share(t.Fraction, t.Points)}")),
        MethodKind.Choice => string.Join("\n", m.Options.Select(o => $"{o.Label} → {Share(o.Fraction, o.Points)}")),
        MethodKind.Parts => string.Join("\n", m.Parts.Select(p => $"{p.Key}: {p.Label} → {Share(p.Fraction, p.Points)}")),
        _ => null,
    };

    private static string Share(decimal? fraction, decimal? points) =>
        fraction is { } f ? CriteriaSetYamlWriter.Fraction(f).Replace('.', ',') : Number(points ?? 0) + " điểm";

    private static int WriteInputs(IXLWorksheet ws, CriteriaSet? set, Dictionary<string, IXLRange> lists)
    {
        Header(ws, InputColumns);
        var row = 2;
        if (set is not null)
        {
            foreach (var node in set.AllNodes)
            {
                foreach (var input in node.Inputs)
                {
                    Put(ws.Cell(row, InCriterion.Index), node.Code);
                    Put(ws.Cell(row, InKey.Index), input.Key);
                    Put(ws.Cell(row, InLabel.Index), input.Label);
                    Put(ws.Cell(row, InUnit.Index), input.Unit);
                    Put(ws.Cell(row, InType.Index), Types.First(t => t.Type == input.Type).Vietnamese);
                    if (input.General is { } key) Put(ws.Cell(row, InGeneral.Index), set.General.First(g => g.Key == key).Code);
                    row++;
                }
            }
        }
        var last = row + SpareRows;
        ws.Range(2, 1, last, InputColumns.Length).Style.NumberFormat.Format = "@";
        Validate(ws.Range(2, InType.Index, last, InType.Index), lists["type"], InType.Header, InType.Help);
        ws.SheetView.FreezeRows(1);
        return row;
    }

    private static int WriteGeneral(IXLWorksheet ws, CriteriaSet? set, Dictionary<string, IXLRange> lists)
    {
        Header(ws, GeneralColumns);
        var row = 2;
        foreach (var g in set?.General ?? [])
        {
            Put(ws.Cell(row, GCode.Index), g.Code);
            Put(ws.Cell(row, GKey.Index), g.Key);
            Put(ws.Cell(row, GLabel.Index), g.Label);
            Put(ws.Cell(row, GUnit.Index), g.Unit);
            Put(ws.Cell(row, GType.Index), Types.First(t => t.Type == g.Type).Vietnamese);
            row++;
        }
        var last = row + SpareRows;
        ws.Range(2, 1, last, GeneralColumns.Length).Style.NumberFormat.Format = "@";
        Validate(ws.Range(2, GType.Index, last, GType.Index), lists["generalType"], GType.Header, GType.Help);
        ws.SheetView.FreezeRows(1);
        return row;
    }

    private static int WriteLevels(IXLWorksheet ws, CriteriaSet? set)
    {
        Header(ws, LevelColumns);
        var row = 2;
        foreach (var l in set?.Levels ?? [])
        {
            ws.Cell(row, LNumber.Index).SetValue(l.Level);
            Put(ws.Cell(row, LName.Index), l.Name);
            row++;
        }
        return row;
    }

    private static void WriteRequirements(IXLWorksheet ws, CriteriaSet? set, Dictionary<string, IXLRange> lists)
    {
        var levelCount = set is null ? 5 : Math.Max(set.Levels.Count, 1);
        var columns = RequirementColumns.Concat(Enumerable.Range(1, levelCount)
            .Select(l => new Column(FirstLevelColumn + l - 1, $"Mức {l}", [l.ToString(System.Globalization.CultureInfo.InvariantCulture)], 16, LevelHelp))).ToArray();
        Header(ws, columns);
        var row = 2;
        foreach (var node in set?.AllNodes.Where(n => n.Value is not null || n.LevelRequirements.Count > 0 || n.Aggregate is not null) ?? [])
        {
            Put(ws.Cell(row, RCode.Index), node.Code);
            Put(ws.Cell(row, RName.Index), node.Name);
            Put(ws.Cell(row, RValue.Index), node.Value switch
            {
                { Kind: LevelValueKind.Ratio, Ratio: { } r } => "Tỷ lệ " + r.Source,
                { Kind: LevelValueKind.Present, Input: var i } => "Có " + i,
                { Kind: LevelValueKind.Count, Input: var i } => "Số lượng " + i,
                { Kind: LevelValueKind.LowerLevels } => LowerLevelsValue,
                _ => null,
            });
            if (node.Aggregate is { } a)
            {
                Put(ws.Cell(row, RAllPrevious.Index), VnPercent(a.AllAtLeastPrevious));
                Put(ws.Cell(row, RAtLeast.Index), VnPercent(a.AtLeast));
            }
            for (var l = 1; l <= levelCount; l++)
            {
                var req = node.LevelRequirements.GetValueOrDefault(l);
                Put(ws.Cell(row, FirstLevelColumn + l - 1), req is null ? null : RequirementText(req));
            }
            row++;
        }
        ws.Range(2, 1, row + SpareRows, columns.Length).Style.NumberFormat.Format = "@";
        ws.SheetView.FreezeRows(1);
        _ = lists;
    }

    /// <summary>The validation rules (spec §10): header, a Vietnamese help row (also in a blank template), then one rule per row.</summary>
    private static void WriteRules(IXLWorksheet ws, CriteriaSet? set, Dictionary<string, IXLRange> lists)
    {
        Header(ws, RuleColumns);
        for (var c = 0; c < RuleHelpRow.Length; c++) Put(ws.Cell(2, c + 1), RuleHelpRow[c]);
        var help = ws.Range(2, 1, 2, RuleColumns.Length);
        help.Style.Font.Italic = true;
        help.Style.Font.FontColor = XLColor.FromHtml("#595959");
        help.Style.Alignment.WrapText = true;
        var row = 3;
        foreach (var rule in set?.ValidationRules ?? [])
        {
            Put(ws.Cell(row, VCode.Index), rule.Code);
            Put(ws.Cell(row, VRule.Index), rule.Text);
            Put(ws.Cell(row, VSeverity.Index), Severities.First(x => x.Severity == rule.Severity).Vietnamese);
            Put(ws.Cell(row, VMessage.Index), rule.Message);
            row++;
        }
        var last = row + SpareRows;
        ws.Range(3, 1, last, RuleColumns.Length).Style.NumberFormat.Format = "@";
        Validate(ws.Range(3, VSeverity.Index, last, VSeverity.Index), lists["severity"], VSeverity.Header, VSeverity.Help);
        ws.SheetView.FreezeRows(2);
    }

    /// <summary>A requirement in the sheet's words: "Không áp dụng", "Có (a)", "≥ 70%", "≥ 3 (a) hoặc ≥ 100%".</summary>
    internal static string RequirementText(LevelRequirement req) => req switch
    {
        LevelRequirement.NotApplicable => NotApplicable,
        LevelRequirement.Aggregate => AggregateRequirement,
        LevelRequirement.Present p => p.Of is null ? Yes : $"{Yes} ({p.Of})",
        LevelRequirement.Min m => $"≥ {VnPercent(m.Value)}" + (m.Of is null ? "" : $" ({m.Of})"),
        LevelRequirement.MinCount c => $"≥ {Number(c.Value)}" + (c.Of is null ? "" : $" ({c.Of})"),
        LevelRequirement.All all when all.Items.All(IsAtom) => string.Join(" và ", all.Items.Select(RequirementText)),
        LevelRequirement.Any any when any.Items.All(i => IsAtom(i) || i is LevelRequirement.All a && a.Items.All(IsAtom)) =>
            string.Join(" hoặc ", any.Items.Select(RequirementText)),
        _ => throw new NotSupportedException($"Yêu cầu lồng nhau quá hai tầng không ghi được vào bảng tính: {req}"),
    };

    private static bool IsAtom(LevelRequirement r) => r is not (LevelRequirement.Any or LevelRequirement.All);

    private static void Header(IXLWorksheet ws, IReadOnlyList<Column> columns)
    {
        foreach (var c in columns)
        {
            var cell = ws.Cell(1, c.Index);
            Put(cell, c.Header);
            cell.Comment.AddText(c.Help);
            ws.Column(c.Index).Width = c.Width;
        }
        var header = ws.Range(1, 1, 1, columns.Count);
        header.Style.Font.Bold = true;
        header.Style.Alignment.WrapText = true;
        header.Style.Alignment.Vertical = XLAlignmentVerticalValues.Center;
        header.Style.Fill.BackgroundColor = XLColor.FromHtml("#D9D9D9");
        header.Style.Border.BottomBorder = XLBorderStyleValues.Thin;
    }

    private static void Validate(IXLRange range, IXLRange list, string title, string help)
    {
        var dv = range.SetDataValidation();
        dv.List(list, true);
        Messages(dv, title, help);
    }

    private static void Messages(IXLDataValidation dv, string title, string help)
    {
        dv.IgnoreBlanks = true;
        dv.ShowInputMessage = true;
        dv.InputTitle = Trim(title, 32);
        dv.InputMessage = Trim(help, 255);
        dv.ShowErrorMessage = true;
        dv.ErrorStyle = XLErrorStyle.Stop;
        dv.ErrorTitle = Trim(title, 32);
        dv.ErrorMessage = "Giá trị không có trong danh sách. " + Trim(help, 200);
    }

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>Text as text (never guessed as a number or date), neutralised against formula injection.</summary>
    private static void Put(IXLCell cell, string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        cell.SetValue(TableFile.Neutralise(text));
    }

    private static string? Lines(IReadOnlyList<string> items) => items.Count == 0 ? null : string.Join("\n", items);

    internal static string Number(decimal value) => CriteriaSetYamlWriter.Dec(value).Replace('.', ',');

    internal static string VnPercent(decimal fraction) => CriteriaSetYamlWriter.Percent(fraction).Replace('.', ',');

    private static string? Date(DateOnly? date) => date?.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
}
