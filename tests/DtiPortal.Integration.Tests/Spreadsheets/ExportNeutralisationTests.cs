using System.Text;
using System.Text.RegularExpressions;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Spreadsheets;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DtiPortal.Integration.Tests.Spreadsheets;

/// <summary>
/// Issue 16 §4: every CSV and XLSX the application writes passes its texts through <see cref="TableFile.Neutralise"/>.
/// The writers are few on purpose (XlsxWriter, TableFile.WriteXlsx, TableFile.CsvField); the guard below keeps it so, and each
/// writer is run here with the probe's formula texts and read back.
/// </summary>
public class ExportNeutralisationTests
{
    public static readonly string[] FormulaTexts =
    [
        "=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1",
    ];

    [Fact]
    public void Neutralise_PrefixesEveryFormulaStart_AndLeavesSignedNumbersAndPlainText()
    {
        foreach (var text in FormulaTexts) Assert.Equal("'" + text, TableFile.Neutralise(text));
        Assert.Equal("-5", TableFile.Neutralise("-5"));
        Assert.Equal("Xã Lạc Đạo", TableFile.Neutralise("Xã Lạc Đạo"));
        Assert.True(TableFile.LooksLikeFormula("=cmd|' /C calc'!A0"));
        Assert.False(TableFile.LooksLikeFormula("'=cmd|' /C calc'!A0"));
    }

    [Fact]
    public void AccountsCsv_And_AccountsXlsx_WriteFormulaTextAsLiteralText()
    {
        var accounts = FormulaTexts.Select((t, i) => new CreatedAccount(i + 2, "id" + i, "u" + i, t, "33-LD", t, [Roles.CommuneOfficer], "Abc#2345")).ToList();

        var csv = Encoding.UTF8.GetString(ImportUsers.AccountsCsv(accounts));
        foreach (var field in CsvFields(csv)) Assert.False(TableFile.LooksLikeFormula(field), $"CSV field {field} would run as a formula");
        Assert.Contains("\"'=cmd|' /C calc'!A0\"", csv);

        using var xlsx = new Xlsx(ImportUsers.AccountsXlsx(accounts));
        AssertNoFormulaText(xlsx);
    }

    [Fact]
    public void TableFileWriteXlsx_WritesFormulaTextAsLiteralText()
    {
        using var stream = new MemoryStream();
        TableFile.WriteXlsx(stream, ["Tên"], FormulaTexts.Select(t => (IReadOnlyList<string>)[t]));
        using var xlsx = new Xlsx(stream.ToArray());
        AssertNoFormulaText(xlsx);
        Assert.Equal("'=cmd|' /C calc'!A0", xlsx.Cell("Dữ liệu", "A3").Text);
    }

    /// <summary>
    /// Every file under src/ that builds a spreadsheet or quotes a CSV field is one of the neutralising writers; a new export
    /// that writes its own cells (and could forget) fails here and must go through them.
    /// </summary>
    [Fact]
    public void EveryExportWriter_GoesThroughTheNeutralisingWriters()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.NotEmpty(files);
        // The readers open workbooks and write none; the criteria workbook (issue 14) writes its own layout, every text through
        // TableFile.Neutralise, which the loop below checks for each writer.
        string[] xlsxWriters = ["XlsxWriter.cs", "TableFile.cs", "XlsxReader.cs", "CriteriaWorkbookWriter.cs", "CriteriaWorkbookReader.cs"];
        foreach (var writerFile in files.Where(f => Path.GetFileName(f) is "XlsxWriter.cs" or "CriteriaWorkbookWriter.cs"))
            Assert.Contains("Neutralise(", File.ReadAllText(writerFile), StringComparison.Ordinal);
        var ownXlsx = files.Where(f => Regex.IsMatch(File.ReadAllText(f), @"SpreadsheetDocument\.Create\b|new\s+XLWorkbook\s*\("))
            .Select(Path.GetFileName).Where(n => !xlsxWriters.Contains(n)).ToList();
        Assert.True(ownXlsx.Count == 0, "Spreadsheets written outside XlsxWriter/TableFile.WriteXlsx: " + string.Join(", ", ownXlsx));

        // A CSV field is quoted by doubling its quotes; only TableFile.CsvField may do that.
        var ownCsv = files.Where(f => File.ReadAllText(f).Contains("\"\\\"\\\"\"", StringComparison.Ordinal))
            .Select(Path.GetFileName).Where(n => n != "TableFile.cs").ToList();
        Assert.True(ownCsv.Count == 0, "CSV fields quoted outside TableFile.CsvField: " + string.Join(", ", ownCsv));

        // And the writers themselves call Neutralise on every text they write.
        var writer = File.ReadAllText(files.Single(f => Path.GetFileName(f) == "XlsxWriter.cs"));
        Assert.Contains("TableFile.Neutralise(", writer);
    }

    private static void AssertNoFormulaText(Xlsx xlsx)
    {
        foreach (var name in xlsx.SheetNames)
            foreach (var cell in xlsx.Sheet(name).Descendants<Cell>())
            {
                Assert.Null(cell.CellFormula);
                var text = xlsx.Cell(name, cell.CellReference!.Value!).Text;
                Assert.False(TableFile.LooksLikeFormula(text), $"{name}!{cell.CellReference}: {text} would run as a formula");
            }
    }

    private static IEnumerable<string> CsvFields(string csv) =>
        Csv.Parse(csv.TrimStart('\uFEFF')).SelectMany(r => r.Cells);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DtiPortal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("DtiPortal.sln not found above " + AppContext.BaseDirectory);
    }
}
