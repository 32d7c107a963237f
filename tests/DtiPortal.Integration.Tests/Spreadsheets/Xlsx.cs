using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DtiPortal.Integration.Tests.Spreadsheets;

/// <summary>
/// Reads and edits workbooks in tests with DocumentFormat.OpenXml directly (not through the application's reader), as a
/// user's spreadsheet program would: shared strings, numbers, formulas.
/// </summary>
public sealed class Xlsx : IDisposable
{
    private readonly MemoryStream _stream;
    private readonly SpreadsheetDocument _doc;
    private bool _closed;

    public Xlsx(byte[] bytes, bool editable = false)
    {
        _stream = new MemoryStream();
        _stream.Write(bytes);
        _stream.Position = 0;
        _doc = SpreadsheetDocument.Open(_stream, editable);
    }

    public sealed record CellInfo(string? Text, decimal? Number, bool HasFormula, CellValues? Type, Cell? Cell);

    /// <summary>What the Open XML schema validator finds wrong (Excel refuses or "repairs" such files).</summary>
    public IReadOnlyList<string> ValidationErrors() =>
        new DocumentFormat.OpenXml.Validation.OpenXmlValidator(FileFormatVersions.Office2010).Validate(_doc)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();

    public IReadOnlyList<string> SheetNames => _doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!).ToList();

    public Sheet SheetElement(string name) => _doc.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);

    public Worksheet Sheet(string name) => ((WorksheetPart)_doc.WorkbookPart!.GetPartById(SheetElement(name).Id!)).Worksheet;

    public CellInfo Cell(string sheet, string reference)
    {
        var cell = Sheet(sheet).Descendants<Cell>().FirstOrDefault(c => c.CellReference == reference);
        if (cell is null) return new CellInfo(null, null, false, null, null);
        var type = cell.DataType?.Value;
        string? text = type switch
        {
            CellValues.InlineString => cell.InlineString?.InnerText,
            CellValues.SharedString => _doc.WorkbookPart!.SharedStringTablePart!.SharedStringTable.Elements<SharedStringItem>()
                .ElementAt(int.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture)).InnerText,
            _ => cell.CellValue?.Text,
        };
        decimal? number = type is null or CellValues.Number && cell.CellValue is not null
            ? decimal.Parse(cell.CellValue.Text, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
        return new CellInfo(text, number, cell.CellFormula is not null, type, cell);
    }

    /// <summary>The row numbers of a sheet whose column A holds <paramref name="text"/>.</summary>
    public int RowOf(string sheet, string text, string column = "A")
    {
        foreach (var row in Sheet(sheet).Descendants<Row>())
        {
            var r = (int)row.RowIndex!.Value;
            if (Cell(sheet, column + r).Text == text) return r;
        }
        throw new KeyNotFoundException($"'{text}' not in column {column} of sheet {sheet}");
    }

    public int LastRow(string sheet) => Sheet(sheet).Descendants<Row>().Max(r => (int)r.RowIndex!.Value);

    /// <summary>Sets a cell: a decimal/int as a number, a string as a shared string (as Excel saves typed text), or a formula.</summary>
    public void Set(string sheet, string reference, object? value, string? formula = null)
    {
        var ws = Sheet(sheet);
        var data = ws.GetFirstChild<SheetData>()!;
        var rowIndex = uint.Parse(new string(reference.SkipWhile(char.IsLetter).ToArray()), CultureInfo.InvariantCulture);
        var row = data.Elements<Row>().FirstOrDefault(r => r.RowIndex?.Value == rowIndex);
        if (row is null)
        {
            row = new Row { RowIndex = rowIndex };
            var after = data.Elements<Row>().LastOrDefault(r => r.RowIndex!.Value < rowIndex);
            if (after is null) data.PrependChild(row); else after.InsertAfterSelf(row);
        }
        var cell = row.Elements<Cell>().FirstOrDefault(c => c.CellReference == reference);
        if (cell is null)
        {
            cell = new Cell { CellReference = reference };
            var col = Column(reference);
            var before = row.Elements<Cell>().FirstOrDefault(c => Column(c.CellReference!) > col);
            if (before is null) row.Append(cell); else before.InsertBeforeSelf(cell);
        }
        cell.RemoveAllChildren();
        cell.DataType = null;
        if (formula is not null)
        {
            cell.CellFormula = new CellFormula(formula);
            cell.CellValue = new CellValue(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
            return;
        }
        switch (value)
        {
            case null:
                break;
            case decimal or int or double:
                cell.CellValue = new CellValue(Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case bool b:
                cell.DataType = CellValues.Boolean;
                cell.CellValue = new CellValue(b ? "1" : "0");
                break;
            default:
                cell.DataType = CellValues.SharedString;
                cell.CellValue = new CellValue(SharedString((string)value).ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    private int SharedString(string text)
    {
        var wb = _doc.WorkbookPart!;
        var part = wb.SharedStringTablePart ?? wb.AddNewPart<SharedStringTablePart>();
        part.SharedStringTable ??= new SharedStringTable();
        part.SharedStringTable.Append(new SharedStringItem(new Text(text)));
        return part.SharedStringTable.Elements<SharedStringItem>().Count() - 1;
    }

    private static int Column(string reference)
    {
        var n = 0;
        foreach (var c in reference.TakeWhile(char.IsLetter)) n = n * 26 + (c - 'A' + 1);
        return n;
    }

    /// <summary>Appends <paramref name="count"/> rows (address and value as inline strings) after the last row of a sheet.</summary>
    public void AppendRows(string sheet, int count, Func<int, (string Address, string Value)> row)
    {
        var data = Sheet(sheet).GetFirstChild<SheetData>()!;
        var next = (uint)LastRow(sheet) + 1;
        for (var i = 0; i < count; i++, next++)
        {
            var (address, value) = row(i);
            data.Append(new Row(
                new Cell { CellReference = "A" + next, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(address)) },
                new Cell { CellReference = "E" + next, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value)) })
            { RowIndex = next });
        }
    }

    public byte[] Save()
    {
        foreach (var part in _doc.WorkbookPart!.WorksheetParts) part.Worksheet.Save();
        _doc.WorkbookPart.SharedStringTablePart?.SharedStringTable.Save();
        _doc.Dispose();
        _closed = true;
        return _stream.ToArray();
    }

    public void Dispose()
    {
        if (!_closed) _doc.Dispose();
        _closed = true;
        _stream.Dispose();
    }
}
