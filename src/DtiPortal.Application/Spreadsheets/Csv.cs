using System.Text;

namespace DtiPortal.Application.Spreadsheets;

/// <summary>
/// A small RFC 4180 reader: quoted fields, doubled quotes, new lines inside quotes, CRLF or LF.
/// The delimiter (comma, semicolon — Excel's default in Vietnamese locales — or tab) is taken from the header line.
/// Each record keeps the line it starts on, so errors name the row the user sees in a spreadsheet.
/// </summary>
public static class Csv
{
    public sealed record Record(int Line, List<string> Cells);

    public static List<Record> Parse(string text)
    {
        var delimiter = DetectDelimiter(text);
        var records = new List<Record>();
        var cells = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var line = 1;
        var recordLine = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            if (c == '"' && field.Length == 0) { inQuotes = true; continue; }
            if (c == delimiter) { cells.Add(field.ToString()); field.Clear(); continue; }
            if (c == '\r') continue;
            if (c == '\n')
            {
                cells.Add(field.ToString()); field.Clear();
                records.Add(new Record(recordLine, cells));
                cells = [];
                line++;
                recordLine = line;
                continue;
            }
            field.Append(c);
        }
        if (field.Length > 0 || cells.Count > 0)
        {
            cells.Add(field.ToString());
            records.Add(new Record(recordLine, cells));
        }
        return records;
    }

    private static char DetectDelimiter(string text)
    {
        var end = text.IndexOf('\n');
        var header = end < 0 ? text : text[..end];
        var candidates = new[] { ',', ';', '\t' };
        return candidates.OrderByDescending(d => header.Count(ch => ch == d)).First();
    }
}
