using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DtiPortal.Domain;

namespace DtiPortal.Application.Spreadsheets;

/// <summary>A table read from a .csv or the first sheet of an .xlsx: a header row and data rows (1-based row numbers as the user sees them).</summary>
public sealed record TableData(IReadOnlyList<string> Header, IReadOnlyList<(int Row, IReadOnlyList<string> Cells)> Rows)
{
    /// <summary>Index of the first header matching one of the names, compared accent- and case-insensitively.</summary>
    public int Column(params string[] names)
    {
        var wanted = names.Select(VietnameseText.Fold).ToHashSet();
        for (var i = 0; i < Header.Count; i++)
            if (wanted.Contains(VietnameseText.Fold(Header[i]))) return i;
        return -1;
    }
}

public sealed class TableFileException(string message) : Exception(message);

/// <summary>Reads .csv (UTF-8, comma or semicolon) and .xlsx (first worksheet) into <see cref="TableData"/>.</summary>
public static class TableFile
{
    public static TableData Read(Stream stream, string fileName)
    {
        var ext = Path.GetExtension(fileName).ToLowerInvariant();
        try
        {
            return ext switch
            {
                ".csv" => ReadCsv(stream),
                ".xlsx" => ReadXlsx(stream),
                _ => throw new TableFileException($"Định dạng tệp '{ext}' không được hỗ trợ: dùng .xlsx hoặc .csv."),
            };
        }
        catch (TableFileException) { throw; }
        catch (Exception ex) when (ex is InvalidDataException or OpenXmlPackageException or IOException or FormatException or System.Xml.XmlException)
        {
            throw new TableFileException($"Không đọc được tệp '{Path.GetFileName(fileName)}': tệp hỏng hoặc không đúng định dạng {ext}.");
        }
    }

    private static TableData ReadCsv(Stream stream)
    {
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = reader.ReadToEnd();
        var records = Csv.Parse(text);
        if (records.Count == 0) throw new TableFileException("Tệp trống: không có dòng tiêu đề.");
        var header = records[0].Cells.Select(c => c.Trim()).ToList();
        var rows = records.Skip(1)
            .Where(r => !r.Cells.All(string.IsNullOrWhiteSpace))
            .Select(r => (r.Line, (IReadOnlyList<string>)r.Cells))
            .ToList();
        return new TableData(header, rows);
    }

    private static TableData ReadXlsx(Stream stream)
    {
        // The same guard as the template import (XlsxReader): a small zip whose parts expand enormously is refused.
        using var doc = SpreadsheetDocument.Open(stream, false, new OpenSettings { MaxCharactersInPart = XlsxReader.MaxCharactersInPart });
        var wb = doc.WorkbookPart ?? throw new TableFileException("Tệp .xlsx không có bảng tính nào.");
        var sheet = wb.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new TableFileException("Tệp .xlsx không có trang tính nào.");
        var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
        var shared = wb.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];

        IReadOnlyList<string>? header = null;
        var rows = new List<(int, IReadOnlyList<string>)>();
        foreach (var row in part.Worksheet.Descendants<Row>())
        {
            var rowIndex = (int)(row.RowIndex?.Value ?? 0);
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var col = ColumnIndex(cell.CellReference?.Value);
                while (cells.Count < col) cells.Add("");
                cells.Add(CellText(cell, shared));
            }
            if (header is null)
            {
                if (cells.All(string.IsNullOrWhiteSpace)) continue;
                header = cells.Select(c => c.Trim()).ToList();
                continue;
            }
            if (cells.All(string.IsNullOrWhiteSpace)) continue;
            rows.Add((rowIndex, cells));
        }
        if (header is null) throw new TableFileException("Trang tính đầu tiên trống: không có dòng tiêu đề.");
        return new TableData(header, rows);
    }

    private static string CellText(Cell cell, List<string> shared)
    {
        if (cell.DataType?.Value == CellValues.SharedString && int.TryParse(cell.CellValue?.Text, out var i) && i < shared.Count)
            return shared[i];
        if (cell.DataType?.Value == CellValues.InlineString)
            return cell.InlineString?.InnerText ?? "";
        return cell.CellValue?.Text ?? cell.InnerText;
    }

    /// <summary>"C12" → 2 (zero-based column).</summary>
    private static int ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference)) return 0;
        var n = 0;
        foreach (var c in reference)
        {
            if (!char.IsLetter(c)) break;
            n = n * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        }
        return Math.Max(0, n - 1);
    }

    /// <summary>Writes a simple one-sheet .xlsx (header + rows) — used for templates and tests. Every text is neutralised.</summary>
    public static void WriteXlsx(Stream stream, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, string sheetName = "Dữ liệu")
    {
        var book = new XlsxWriter();
        var sheet = book.Add(sheetName);
        var r = 1;
        foreach (var line in new[] { header }.Concat(rows))
        {
            for (var c = 0; c < line.Count; c++) sheet.Text(r, c + 1, line[c]);
            r++;
        }
        stream.Write(book.ToBytes());
    }

    /// <summary>
    /// Cells starting with = + - @ (or a tab or carriage return, OWASP's list) are prefixed with an apostrophe so a spreadsheet
    /// never runs them as formulas — also after the file is saved again as .csv, where a "quote prefix" style would be lost.
    /// Plain signed numbers ("-5") are left alone.
    /// </summary>
    public static string? Neutralise(string? text) =>
        text is { Length: > 0 } && FormulaStarts.Contains(text[0]) && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? "'" + text : text;

    /// <summary>Text a spreadsheet would run as a formula (<c>=HYPERLINK(…)</c>, <c>=cmd|' /C calc'!A0</c>, <c>@SUM(…)</c>).</summary>
    public static bool LooksLikeFormula(string? text) => !ReferenceEquals(Neutralise(text), text);

    /// <summary>
    /// Issue 16 §4: imports refuse cells that start like a formula rather than store them. Stored verbatim, such a name is
    /// neutralised in this application's own exports, but not in a copy someone pastes into another tool. One message per cell,
    /// naming the row and the column as the user sees them.
    /// </summary>
    public static IReadOnlyList<Domain.Units.ImportError> FormulaCells(TableData table)
    {
        var errors = new List<Domain.Units.ImportError>();
        foreach (var (row, cells) in table.Rows)
            for (var c = 0; c < cells.Count; c++)
                if (LooksLikeFormula(cells[c].TrimStart(' ')))
                {
                    var column = c < table.Header.Count && table.Header[c].Length > 0 ? table.Header[c] : XlsxWriter.ColumnName(c + 1);
                    var shown = cells[c].Trim();
                    errors.Add(new Domain.Units.ImportError(row, $"Cột '{column}': \"{(shown.Length > 40 ? shown[..40] + "…" : shown)}\" bắt đầu bằng "
                        + "ký tự của công thức bảng tính (=, +, -, @). Hãy bỏ ký tự đó ở đầu ô."));
                }
        return errors;
    }

    /// <summary>One CSV field for every CSV this application writes: neutralised (<see cref="Neutralise"/>) and quoted.</summary>
    public static string CsvField(string? text) => "\"" + (Neutralise(text) ?? "").Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The inverse of <see cref="Neutralise"/> for text read back from a file this application wrote ("'=1+1" → "=1+1").</summary>
    public static string Unneutralise(string text) =>
        text.Length > 1 && text[0] == '\'' && FormulaStarts.Contains(text[1]) ? text[1..] : text;

    private const string FormulaStarts = "=+-@\t\r";
}
