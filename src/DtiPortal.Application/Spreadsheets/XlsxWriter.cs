using System.Globalization;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DtiPortal.Application.Spreadsheets;

/// <summary>How a cell looks. Each distinct combination becomes one cell format of the workbook's stylesheet.</summary>
internal sealed record XStyle(
    bool Bold = false, bool Italic = false, double? Size = null, string? Fill = null, bool Border = false,
    XNumber Number = XNumber.General, bool Wrap = false, uint Indent = 0, bool Locked = true, bool Centered = false, string? Color = null)
{
    public static readonly XStyle Default = new();
}

internal enum XNumber { General, Decimal, Integer }

/// <summary>One worksheet being written: cells by (row, column), both 1-based as the user sees them.</summary>
internal sealed class XSheet(string name)
{
    public string Name { get; } = name;
    public bool Hidden { get; init; }
    public Dictionary<(int Row, int Col), (object? Value, XStyle Style)> Cells { get; } = [];
    public Dictionary<int, double> Widths { get; } = [];
    /// <summary>Rows above this one (and below the title) stay visible when scrolling: the header row.</summary>
    public int? FreezeBelowRow { get; set; }
    public List<string> Merges { get; } = [];
    public List<(string Range, string Formula, bool IsList, int Min, int Max, string Prompt)> Validations { get; } = [];
    /// <summary>Protect the sheet (no password): only cells styled Locked = false can be typed in.</summary>
    public bool Protect { get; set; }
    public bool Landscape { get; set; }

    public int LastRow => Cells.Count == 0 ? 0 : Cells.Keys.Max(k => k.Row);

    public void Text(int row, int col, string? text, XStyle? style = null) => Cells[(row, col)] = (text, style ?? XStyle.Default);

    public void Number(int row, int col, decimal? value, XStyle? style = null)
    {
        style ??= XStyle.Default;
        // "#,##0.##" shows a trailing decimal mark for whole numbers ("1.234,"): whole numbers get "#,##0".
        if (value is { } v && style.Number == XNumber.Decimal && v == decimal.Truncate(v)) style = style with { Number = XNumber.Integer };
        Cells[(row, col)] = (value, style);
    }

    /// <summary>A style for every cell of a row that has none yet (group rows: bold across the table).</summary>
    public void StyleRow(int row, int fromCol, int toCol, XStyle style)
    {
        for (var c = fromCol; c <= toCol; c++)
            if (!Cells.ContainsKey((row, c))) Cells[(row, c)] = (null, style);
    }
}

/// <summary>
/// Writes small styled workbooks with DocumentFormat.OpenXml (ClosedXML is not on the package feed, STACK.md): inline
/// strings, numbers as numeric cells with a format, column widths, a frozen header, merged title cells, data validation,
/// sheet protection and hidden sheets. Every text goes through <see cref="TableFile.Neutralise"/>, so nothing a user
/// typed can run as a formula in a spreadsheet program (see docs/user/bang-tinh.md).
/// </summary>
internal sealed class XlsxWriter
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const int MaxCellText = 32_767; // Excel's limit for one cell

    private readonly List<XSheet> _sheets = [];
    private readonly List<XStyle> _styles = [XStyle.Default];

    public string? Title { get; init; }

    public XSheet Add(string name, bool hidden = false)
    {
        var sheet = new XSheet(name) { Hidden = hidden };
        _sheets.Add(sheet);
        return sheet;
    }

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            doc.PackageProperties.Creator = "DtiPortal";
            doc.PackageProperties.Title = Title;
            doc.PackageProperties.Created = DateTime.UtcNow;
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var sheets = new Sheets();
            uint id = 1;
            var parts = new List<(WorksheetPart Part, XSheet Sheet)>();
            foreach (var s in _sheets)
            {
                var part = wb.AddNewPart<WorksheetPart>();
                parts.Add((part, s));
                sheets.Append(new Sheet
                {
                    Id = wb.GetIdOfPart(part), SheetId = id++, Name = s.Name,
                    State = s.Hidden ? SheetStateValues.Hidden : null,
                });
            }
            // Styles are collected while the sheets are written, so the stylesheet comes last.
            foreach (var (part, s) in parts) part.Worksheet = BuildWorksheet(s);
            var stylesPart = wb.AddNewPart<WorkbookStylesPart>();
            stylesPart.Stylesheet = BuildStylesheet();
            wb.Workbook.Append(new BookViews(new WorkbookView { ActiveTab = 0 }));
            wb.Workbook.Append(sheets);
            wb.Workbook.Save();
        }
        return ms.ToArray();
    }

    private uint StyleIndex(XStyle style)
    {
        var i = _styles.IndexOf(style);
        if (i >= 0) return (uint)i;
        _styles.Add(style);
        return (uint)(_styles.Count - 1);
    }

    private Worksheet BuildWorksheet(XSheet s)
    {
        var ws = new Worksheet();
        if (s.Landscape) ws.Append(new SheetProperties(new PageSetupProperties { FitToPage = true }));
        var view = new SheetView { WorkbookViewId = 0, TabSelected = _sheets.IndexOf(s) == 0 };
        if (s.FreezeBelowRow is { } freeze && freeze > 0)
        {
            view.Append(new Pane
            {
                VerticalSplit = freeze, TopLeftCell = "A" + (freeze + 1), ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen,
            });
            view.Append(new Selection { Pane = PaneValues.BottomLeft, ActiveCell = "A" + (freeze + 1), SequenceOfReferences = new ListValue<StringValue> { InnerText = "A" + (freeze + 1) } });
        }
        ws.Append(new SheetViews(view));
        ws.Append(new SheetFormatProperties { DefaultRowHeight = 15 });
        if (s.Widths.Count > 0)
        {
            var cols = new Columns();
            foreach (var (col, width) in s.Widths.OrderBy(w => w.Key))
                cols.Append(new Column { Min = (uint)col, Max = (uint)col, Width = width, CustomWidth = true });
            ws.Append(cols);
        }
        var data = new SheetData();
        foreach (var rowGroup in s.Cells.GroupBy(c => c.Key.Row).OrderBy(g => g.Key))
        {
            var row = new Row { RowIndex = (uint)rowGroup.Key };
            foreach (var ((r, c), (value, style)) in rowGroup.OrderBy(x => x.Key.Col))
                row.Append(BuildCell(Reference(r, c), value, StyleIndex(style)));
            data.Append(row);
        }
        ws.Append(data);
        if (s.Protect)
            ws.Append(new SheetProtection
            {
                Sheet = true, Objects = true, Scenarios = true, FormatColumns = false, FormatRows = false, FormatCells = false,
            });
        if (s.Merges.Count > 0)
        {
            var merges = new MergeCells();
            foreach (var m in s.Merges) merges.Append(new MergeCell { Reference = m });
            ws.Append(merges);
        }
        if (s.Validations.Count > 0)
        {
            var validations = new DataValidations();
            foreach (var (range, formula, isList, min, max, prompt) in s.Validations)
            {
                // A warning, not a stop: the import checks every value anyway, and a stop would refuse "có" typed in lower case.
                var v = new DataValidation
                {
                    Type = isList ? DataValidationValues.List : DataValidationValues.Whole,
                    AllowBlank = true, ShowErrorMessage = true, ShowInputMessage = true, ErrorStyle = DataValidationErrorStyleValues.Warning,
                    SequenceOfReferences = new ListValue<StringValue> { InnerText = range },
                    // Excel's limits: 32 characters for a title, 225 for the message, 255 for the prompt.
                    ErrorTitle = "Giá trị chưa đúng", Error = Limit(prompt, 225), PromptTitle = "Cách nhập", Prompt = Limit(prompt, 255),
                };
                if (isList) v.Append(new Formula1(formula));
                else
                {
                    v.Operator = DataValidationOperatorValues.Between;
                    v.Append(new Formula1(min.ToString(CultureInfo.InvariantCulture)));
                    v.Append(new Formula2(max.ToString(CultureInfo.InvariantCulture)));
                }
                validations.Append(v);
            }
            validations.Count = (uint)s.Validations.Count;
            ws.Append(validations);
        }
        ws.Append(new PageMargins { Left = 0.5, Right = 0.5, Top = 0.6, Bottom = 0.6, Header = 0.3, Footer = 0.3 });
        if (s.Landscape)
            ws.Append(new PageSetup { PaperSize = 9, Orientation = OrientationValues.Landscape, FitToWidth = 1, FitToHeight = 0 });
        return ws;
    }

    private static Cell BuildCell(string reference, object? value, uint style)
    {
        var cell = new Cell { CellReference = reference, StyleIndex = style == 0 ? null : style };
        switch (value)
        {
            case null:
                break;
            case decimal d:
                cell.DataType = CellValues.Number;
                cell.CellValue = new CellValue(d.ToString(CultureInfo.InvariantCulture));
                break;
            case int i:
                cell.DataType = CellValues.Number;
                cell.CellValue = new CellValue(i.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                var text = Clean(TableFile.Neutralise(Convert.ToString(value, CultureInfo.InvariantCulture)) ?? "");
                cell.DataType = CellValues.InlineString;
                cell.InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
                break;
        }
        return cell;
    }

    private static string Limit(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    /// <summary>XML cannot hold most control characters; Excel holds at most 32,767 characters in a cell.</summary>
    private static string Clean(string text)
    {
        if (text.Length > MaxCellText) text = text[..(MaxCellText - 1)] + "…";
        if (!text.Any(ch => ch < ' ' && ch is not ('\t' or '\n' or '\r') || char.IsSurrogate(ch))) return text;
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsHighSurrogate(ch) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(ch).Append(text[++i]); continue; }
            if (char.IsSurrogate(ch) || (ch < ' ' && ch is not ('\t' or '\n' or '\r'))) continue;
            sb.Append(ch);
        }
        return sb.ToString();
    }

    private Stylesheet BuildStylesheet()
    {
        var fonts = new List<(bool Bold, bool Italic, double Size, string? Color)> { (false, false, 11, null) };
        var fills = new List<string?> { null, "gray125" };
        var xfs = new List<CellFormat>();
        foreach (var s in _styles)
        {
            var font = (s.Bold, s.Italic, s.Size ?? 11, s.Color);
            var fontId = fonts.IndexOf(font);
            if (fontId < 0) { fonts.Add(font); fontId = fonts.Count - 1; }
            var fillId = 0;
            if (s.Fill is not null)
            {
                fillId = fills.IndexOf(s.Fill);
                if (fillId < 0) { fills.Add(s.Fill); fillId = fills.Count - 1; }
            }
            var xf = new CellFormat
            {
                FontId = (uint)fontId, FillId = (uint)fillId, BorderId = s.Border ? 1u : 0u, FormatId = 0,
                NumberFormatId = s.Number switch { XNumber.Decimal => 164u, XNumber.Integer => 3u, _ => 0u },
                ApplyFont = fontId != 0, ApplyFill = fillId != 0, ApplyBorder = s.Border, ApplyNumberFormat = s.Number != XNumber.General,
            };
            if (s.Wrap || s.Indent > 0 || s.Centered)
            {
                xf.ApplyAlignment = true;
                xf.Append(new Alignment
                {
                    WrapText = s.Wrap ? true : null, Indent = s.Indent > 0 ? s.Indent : null, Vertical = VerticalAlignmentValues.Top,
                    Horizontal = s.Centered ? HorizontalAlignmentValues.Center : s.Indent > 0 ? HorizontalAlignmentValues.Left : null,
                });
            }
            if (!s.Locked)
            {
                xf.ApplyProtection = true;
                xf.Append(new Protection { Locked = false });
            }
            xfs.Add(xf);
        }

        var fontsEl = new Fonts { Count = (uint)fonts.Count };
        foreach (var (bold, italic, size, color) in fonts)
        {
            var f = new Font();
            if (bold) f.Append(new Bold());
            if (italic) f.Append(new Italic());
            f.Append(new FontSize { Val = size });
            f.Append(color is null ? new Color { Theme = 1 } : new Color { Rgb = color });
            f.Append(new FontName { Val = "Calibri" });
            f.Append(new FontFamilyNumbering { Val = 2 });
            fontsEl.Append(f);
        }
        var fillsEl = new Fills { Count = (uint)fills.Count };
        fillsEl.Append(new Fill(new PatternFill { PatternType = PatternValues.None }));
        fillsEl.Append(new Fill(new PatternFill { PatternType = PatternValues.Gray125 }));
        foreach (var rgb in fills.Skip(2))
            fillsEl.Append(new Fill(new PatternFill(new ForegroundColor { Rgb = rgb }, new BackgroundColor { Indexed = 64 }) { PatternType = PatternValues.Solid }));
        var thin = () => new Color { Rgb = "FFB0B7BF" };
        var bordersEl = new Borders(
            new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder()),
            new Border(
                new LeftBorder(thin()) { Style = BorderStyleValues.Thin }, new RightBorder(thin()) { Style = BorderStyleValues.Thin },
                new TopBorder(thin()) { Style = BorderStyleValues.Thin }, new BottomBorder(thin()) { Style = BorderStyleValues.Thin },
                new DiagonalBorder())) { Count = 2 };
        var cellXfs = new CellFormats { Count = (uint)xfs.Count };
        foreach (var xf in xfs) cellXfs.Append(xf);
        return new Stylesheet(
            new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "#,##0.##" }) { Count = 1 },
            fontsEl, fillsEl, bordersEl,
            new CellStyleFormats(new CellFormat { NumberFormatId = 0, FontId = 0, FillId = 0, BorderId = 0 }) { Count = 1 },
            cellXfs,
            new CellStyles(new CellStyle { Name = "Normal", FormatId = 0, BuiltinId = 0 }) { Count = 1 });
    }

    /// <summary>(12, 5) → "E12".</summary>
    public static string Reference(int row, int col) => ColumnName(col) + row.ToString(CultureInfo.InvariantCulture);

    /// <summary>1 → "A", 27 → "AA".</summary>
    public static string ColumnName(int col)
    {
        var name = "";
        while (col > 0)
        {
            var m = (col - 1) % 26;
            name = (char)('A' + m) + name;
            col = (col - m - 1) / 26;
        }
        return name;
    }
}
