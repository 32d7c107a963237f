using System.Globalization;
using System.Text;
using ClosedXML.Excel;
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
/// Writes small styled workbooks with ClosedXML (docs/decisions/ADR-011-spreadsheets.md): texts as inline strings, numbers
/// as numeric cells with a format, column widths set by hand (ClosedXML's AdjustToContents needs GDI+, absent on Linux), a
/// frozen header, merged title cells, data validation, sheet protection and hidden sheets. Every text goes through
/// <see cref="TableFile.Neutralise"/>, so nothing a user typed can run as a formula in a spreadsheet program (see
/// docs/user/bang-tinh.md); no cell is ever given a formula.
/// </summary>
internal sealed class XlsxWriter
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private const int MaxCellText = 32_767; // Excel's limit for one cell
    private const string BorderColor = "FFB0B7BF";
    private const string DecimalFormat = "#,##0.##";
    private const int IntegerFormatId = 3; // built-in "#,##0"

    private readonly List<XSheet> _sheets = [];

    public string? Title { get; init; }

    public XSheet Add(string name, bool hidden = false)
    {
        var sheet = new XSheet(name) { Hidden = hidden };
        _sheets.Add(sheet);
        return sheet;
    }

    public byte[] ToBytes()
    {
        using var wb = new XLWorkbook();
        wb.Properties.Author = "DtiPortal";
        wb.Properties.Title = Title;
        wb.Properties.Created = DateTime.UtcNow;
        foreach (var s in _sheets) Write(wb.Worksheets.Add(s.Name), s);
        if (_sheets.Count > 0) wb.Worksheet(1).SetTabActive();
        using var ms = new MemoryStream();
        wb.SaveAs(ms);
        if (_sheets.Any(s => s.FreezeBelowRow > 0)) MarkPanesFrozen(ms);
        return ms.ToArray();
    }

    /// <summary>
    /// ClosedXML 0.95.4 writes a frozen header as state "frozenSplit" (split first, then frozen: unfreezing leaves a split
    /// bar); the header is frozen without a split, so the pane gets "frozen" here with DocumentFormat.OpenXml (ADR-011).
    /// </summary>
    private static void MarkPanesFrozen(MemoryStream ms)
    {
        ms.Position = 0;
        using var doc = SpreadsheetDocument.Open(ms, true);
        foreach (var part in doc.WorkbookPart?.WorksheetParts ?? [])
        {
            var panes = part.Worksheet.Descendants<Pane>().Where(p => p.State?.Value == PaneStateValues.FrozenSplit).ToList();
            foreach (var pane in panes) pane.State = PaneStateValues.Frozen;
            if (panes.Count > 0) part.Worksheet.Save();
        }
    }

    private static void Write(IXLWorksheet ws, XSheet s)
    {
        if (s.Hidden) ws.Hide();
        ws.RowHeight = 15;
        foreach (var (col, width) in s.Widths) ws.Column(col).Width = width;
        if (s.FreezeBelowRow is { } freeze && freeze > 0) ws.SheetView.FreezeRows(freeze);
        foreach (var ((row, col), (value, style)) in s.Cells.OrderBy(c => c.Key.Row).ThenBy(c => c.Key.Col))
        {
            var cell = ws.Cell(row, col);
            // Texts inline, as before: a cell never refers to a shared table (an empty styled cell too, which ClosedXML
            // would otherwise type as a shared string without one).
            cell.ShareString = false;
            switch (value)
            {
                case null:
                    break;
                case decimal d:
                    cell.SetValue(d);
                    break;
                case int i:
                    cell.SetValue(i);
                    break;
                default:
                    cell.SetValue(Clean(TableFile.Neutralise(Convert.ToString(value, CultureInfo.InvariantCulture)) ?? ""));
                    break;
            }
            if (style != XStyle.Default) Apply(cell.Style, style);
        }
        foreach (var m in s.Merges)
        {
            var merged = ws.Range(m).Merge();
            // The covered cells ClosedXML adds are typed as shared strings unless told otherwise (see above).
            foreach (var covered in merged.Cells()) covered.ShareString = false;
        }
        foreach (var (range, formula, isList, min, max, prompt) in s.Validations)
        {
            var dv = ws.Range(range).SetDataValidation();
            if (isList) dv.List(formula, true);
            else dv.WholeNumber.Between(min, max);
            // A warning, not a stop: the import checks every value anyway, and a stop would refuse "có" typed in lower case.
            dv.IgnoreBlanks = true;
            dv.ShowErrorMessage = true;
            dv.ShowInputMessage = true;
            dv.ErrorStyle = XLErrorStyle.Warning;
            // Excel's limits: 32 characters for a title, 225 for the message, 255 for the prompt.
            dv.ErrorTitle = "Giá trị chưa đúng";
            dv.ErrorMessage = Limit(prompt, 225);
            dv.InputTitle = "Cách nhập";
            dv.InputMessage = Limit(prompt, 255);
        }
        if (s.Protect)
            ws.Protect().AllowElement(XLSheetProtectionElements.FormatCells | XLSheetProtectionElements.FormatColumns | XLSheetProtectionElements.FormatRows);
        var page = ws.PageSetup;
        page.Margins.Left = 0.5;
        page.Margins.Right = 0.5;
        page.Margins.Top = 0.6;
        page.Margins.Bottom = 0.6;
        page.Margins.Header = 0.3;
        page.Margins.Footer = 0.3;
        if (s.Landscape)
        {
            page.PaperSize = XLPaperSize.A4Paper;
            page.PageOrientation = XLPageOrientation.Landscape;
            page.FitToPages(1, 0);
        }
    }

    private static void Apply(IXLStyle target, XStyle s)
    {
        if (s.Bold) target.Font.Bold = true;
        if (s.Italic) target.Font.Italic = true;
        if (s.Size is { } size) target.Font.FontSize = size;
        if (s.Color is { } color) target.Font.FontColor = Argb(color);
        if (s.Fill is { } fill) target.Fill.BackgroundColor = Argb(fill);
        if (s.Border)
        {
            target.Border.OutsideBorder = XLBorderStyleValues.Thin;
            target.Border.OutsideBorderColor = Argb(BorderColor);
        }
        switch (s.Number)
        {
            case XNumber.Decimal: target.NumberFormat.Format = DecimalFormat; break;
            case XNumber.Integer: target.NumberFormat.NumberFormatId = IntegerFormatId; break;
        }
        if (s.Wrap || s.Indent > 0 || s.Centered)
        {
            target.Alignment.Vertical = XLAlignmentVerticalValues.Top;
            if (s.Wrap) target.Alignment.WrapText = true;
            if (s.Indent > 0) target.Alignment.Indent = (int)s.Indent;
            if (s.Centered) target.Alignment.Horizontal = XLAlignmentHorizontalValues.Center;
            else if (s.Indent > 0) target.Alignment.Horizontal = XLAlignmentHorizontalValues.Left;
        }
        if (!s.Locked) target.Protection.Locked = false;
    }

    /// <summary>"FFB0B7BF" (alpha, red, green, blue as in SpreadsheetML) → the colour.</summary>
    private static XLColor Argb(string hex) => XLColor.FromArgb(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

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
