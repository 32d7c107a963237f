using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DtiPortal.Application.Spreadsheets;

internal enum XKind { Empty, Text, Number, Boolean, Date, Error, Formula }

/// <summary>
/// One cell as a spreadsheet stored it. <see cref="Number"/> is the stored number (Excel keeps 15 significant digits);
/// <see cref="DateFormatted"/>: a number shown as a date (what Excel does with "1/2"); <see cref="Date"/>: a date cell.
/// A cell holding a formula is <see cref="XKind.Formula"/> whatever its cached result: formulas are never evaluated or trusted.
/// <see cref="PercentFormatted"/>: a number shown as a percentage (Excel stores 72,5% as 0.725).
/// </summary>
internal sealed record XValue(XKind Kind, string Text, decimal? Number = null, bool DateFormatted = false, DateOnly? Date = null, bool PercentFormatted = false)
{
    public static readonly XValue Empty = new(XKind.Empty, "");
    public bool IsBlank => Kind == XKind.Empty || (Kind == XKind.Text && string.IsNullOrWhiteSpace(Text));
}

/// <summary>A row of a sheet: its number as the user sees it and its cells by 1-based column.</summary>
internal sealed record XRow(int Index, IReadOnlyDictionary<int, XValue> Cells)
{
    public XValue this[int col] => Cells.GetValueOrDefault(col) ?? XValue.Empty;
}

/// <summary>
/// Reads the cells of named sheets of an .xlsx with their types — shared and inline strings, numbers (and numbers formatted
/// as dates), booleans, ISO dates, errors, formulas — as written by Excel, LibreOffice or this application. Opening refuses
/// parts larger than <see cref="MaxCharactersInPart"/> characters, so a small zip that expands enormously is not read.
/// Stays on DocumentFormat.OpenXml rather than ClosedXML (ADR-011): one part at a time, formulas never evaluated, cell
/// formats read as stored.
/// </summary>
internal sealed class XlsxReader : IDisposable
{
    public const long MaxCharactersInPart = 100_000_000;
    private readonly SpreadsheetDocument _doc;
    private readonly WorkbookPart _wb;
    private readonly List<string> _shared;
    private readonly HashSet<uint> _dateStyles;
    private readonly HashSet<uint> _percentStyles;

    private XlsxReader(SpreadsheetDocument doc)
    {
        _doc = doc;
        _wb = doc.WorkbookPart ?? throw new TableFileException("Tệp .xlsx không có bảng tính nào.");
        _shared = _wb.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(ItemText).ToList() ?? [];
        _dateStyles = Styles(_wb.WorkbookStylesPart?.Stylesheet, id => id is (>= 14 and <= 22) or (>= 45 and <= 47) or (>= 27 and <= 36) or (>= 50 and <= 58), IsDateCode);
        _percentStyles = Styles(_wb.WorkbookStylesPart?.Stylesheet, id => id is 9 or 10, IsPercentCode);
    }

    /// <summary>Opens a workbook, or throws <see cref="TableFileException"/> with a Vietnamese message when it is not one.</summary>
    public static XlsxReader Open(Stream stream, string fileName)
    {
        try
        {
            var doc = SpreadsheetDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = MaxCharactersInPart });
            return new XlsxReader(doc);
        }
        catch (Exception ex) when (ex is InvalidDataException or OpenXmlPackageException or IOException or FormatException or InvalidOperationException
                                       or System.Xml.XmlException or ArgumentException)
        {
            throw new TableFileException($"Không đọc được tệp '{Path.GetFileName(fileName)}': tệp hỏng hoặc không phải tệp Excel .xlsx.");
        }
    }

    public IReadOnlyList<string> SheetNames =>
        _wb.Workbook.Sheets?.Elements<Sheet>().Select(s => s.Name?.Value ?? "").ToList() ?? [];

    /// <summary>The rows of the sheet named <paramref name="name"/> (null when there is none), in order; empty rows left out.</summary>
    public List<XRow>? Rows(string name)
    {
        var sheet = _wb.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault(s => s.Name?.Value == name);
        if (sheet?.Id?.Value is not { } id || _wb.GetPartById(id) is not WorksheetPart part) return null;
        var rows = new List<XRow>();
        var lastIndex = 0;
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            var index = (int?)row.RowIndex?.Value ?? lastIndex + 1;
            lastIndex = index;
            var cells = new Dictionary<int, XValue>();
            var lastCol = 0;
            foreach (var cell in row.Elements<Cell>())
            {
                var col = ColumnIndex(cell.CellReference?.Value) ?? lastCol + 1;
                lastCol = col;
                var value = Read(cell);
                if (value.Kind != XKind.Empty) cells[col] = value;
            }
            if (cells.Count > 0) rows.Add(new XRow(index, cells));
        }
        return rows;
    }

    private XValue Read(Cell cell)
    {
        if (cell.CellFormula is not null) return new XValue(XKind.Formula, "=" + cell.CellFormula.Text);
        var raw = cell.CellValue?.Text;
        var type = cell.DataType?.Value;
        if (type == CellValues.InlineString) return Text(cell.InlineString is null ? "" : InlineText(cell.InlineString));
        if (raw is null) return XValue.Empty;
        if (type == CellValues.SharedString)
            return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < _shared.Count ? Text(_shared[i]) : XValue.Empty;
        if (type == CellValues.String) return Text(raw);
        if (type == CellValues.Boolean) return new XValue(XKind.Boolean, raw.Trim() == "1" ? "1" : "0");
        if (type == CellValues.Error) return new XValue(XKind.Error, raw);
        if (type == CellValues.Date)
            return DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var dt)
                ? new XValue(XKind.Date, raw, Date: DateOnly.FromDateTime(dt))
                : new XValue(XKind.Error, raw);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || double.IsNaN(d) || double.IsInfinity(d))
            return new XValue(XKind.Error, raw);
        // Excel keeps 15 significant digits; the conversion to decimal rounds to them (0.30000000000000004 → 0.3).
        var number = Math.Abs(d) < 1e19 ? (decimal)d : d > 0 ? 1e19m : -1e19m; // beyond decimal: refused later as "lớn bất thường"
        var style = cell.StyleIndex?.Value ?? 0;
        return new XValue(XKind.Number, raw, number, _dateStyles.Contains(style), PercentFormatted: _percentStyles.Contains(style));
    }

    private static XValue Text(string text) => text.Length == 0 ? XValue.Empty : new XValue(XKind.Text, text);

    private static string ItemText(SharedStringItem item) =>
        item.Text?.Text ?? string.Concat(item.Elements<Run>().Select(r => r.Text?.Text ?? ""));

    private static string InlineText(InlineString s) =>
        s.Text?.Text ?? string.Concat(s.Elements<Run>().Select(r => r.Text?.Text ?? ""));

    /// <summary>"E12" → 5 (1-based), null without a reference.</summary>
    public static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var n = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c)) break;
            n = n * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        }
        return n == 0 ? null : n;
    }

    /// <summary>The cell formats whose number format is one of <paramref name="builtIn"/> or a custom code that <paramref name="customCode"/> accepts.</summary>
    private static HashSet<uint> Styles(Stylesheet? styles, Func<uint, bool> builtIn, Func<string, bool> customCode)
    {
        var result = new HashSet<uint>();
        if (styles?.CellFormats is null) return result;
        var custom = styles.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode?.Value ?? "") ?? [];
        uint index = 0;
        foreach (var xf in styles.CellFormats.Elements<CellFormat>())
        {
            var id = xf.NumberFormatId?.Value ?? 0;
            if (builtIn(id) || (custom.TryGetValue(id, out var code) && customCode(code)))
                result.Add(index);
            index++;
        }
        return result;
    }

    /// <summary>A date or time code: d, m, y, h or s outside quotes, brackets and escapes.</summary>
    private static bool IsDateCode(string code) => CodeHas(code, "dmyhsDMYHS");

    private static bool IsPercentCode(string code) => CodeHas(code, "%");

    private static bool CodeHas(string code, string chars)
    {
        var inQuotes = false;
        var inBrackets = false;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '"') { inQuotes = !inQuotes; continue; }
            if (inQuotes) continue;
            if (c == '\\' || c == '_' || c == '*') { i++; continue; }
            if (c == '[') { inBrackets = true; continue; }
            if (c == ']') { inBrackets = false; continue; }
            if (inBrackets) continue;
            if (chars.Contains(c)) return true;
        }
        return false;
    }

    public void Dispose() => _doc.Dispose();
}
