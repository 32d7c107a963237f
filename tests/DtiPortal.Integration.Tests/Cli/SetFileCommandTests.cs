using ClosedXML.Excel;
using DtiPortal.Application.Criteria.Workbook;
using DtiPortal.Domain.Criteria;
using DtiPortal.Integration.Tests.Infrastructure;

namespace DtiPortal.Integration.Tests.Cli;

/// <summary>
/// Issue 14's command-line contract: `dti score --set-file` (.yaml or .xlsx, no database) prints what `--set` prints;
/// `dti sets export ID [--version N] --format xlsx|yaml --out FILE`; `dti sets import FILE` (.xlsx or .yaml, alias `load`).
/// </summary>
public sealed class SetFileCommandTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string Values = """
        {"units":[
          {"unit":"XA-LACDAO","general":{"1.4":9120,"1.9":20,"1.10":12},"values":{"1.1":1,"1.2.a":3,"1.2.b":4,"1.4":true,"4.4.a":25}},
          {"unit":"XA-TRONG","values":{}}
        ]}
        """;

    [Theory]
    [InlineData("json")]
    [InlineData("table")]
    public async Task Score_with_a_set_file_in_yaml_or_xlsx_prints_exactly_what_the_built_in_set_prints(string format)
    {
        var values = await TempFileAsync(".json", Values);
        var yaml = await TempFileAsync(".yaml", BuiltInLibraries.ReadText("hung-yen-commune-2024")!);
        var xlsx = TempPath(".xlsx");
        await using (var stream = File.Create(xlsx)) CriteriaWorkbook.Write(BuiltInLibraries.ReadText("hung-yen-commune-2024")!, stream);

        var bySet = await DtiProcess.RunAsync(null, "score", "--set", "hung-yen-commune-2024", "--values", values, "--format", format);
        var byYaml = await DtiProcess.RunAsync(null, "score", "--set-file", yaml, "--values", values, "--format", format);
        var byXlsx = await DtiProcess.RunAsync(null, "score", "--set-file", xlsx, "--values", values, "--format", format);

        Assert.True(bySet.Code == 0, bySet.Stderr);
        Assert.Contains("XA-LACDAO", bySet.Stdout);
        Assert.Equal((0, bySet.Stdout), (byYaml.Code, byYaml.Stdout));
        Assert.Equal((0, bySet.Stdout), (byXlsx.Code, byXlsx.Stdout));
    }

    [Fact]
    public async Task Score_with_a_broken_workbook_names_the_cell_and_exits_one()
    {
        var values = await TempFileAsync(".json", Values);
        var xlsx = TempPath(".xlsx");
        using (var wb = WorkbookOf("hung-yen-commune-2024"))
        {
            var tree = wb.Worksheet("Chỉ số");
            tree.Cell(tree.RowsUsed().First(r => r.Cell(1).GetString() == "1.2").RowNumber(), 12).SetValue("Tính nhẩm");
            wb.SaveAs(xlsx);
        }
        var (code, stdout, stderr) = await DtiProcess.RunAsync(null, "score", "--set-file", xlsx, "--values", values);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("Trang tính \"Chỉ số\", dòng", stderr);
        Assert.Contains("cột L", stderr);
        Assert.Contains("Tính nhẩm", stderr);
    }

    [Fact]
    public async Task Score_needs_exactly_one_of_set_and_set_file()
    {
        var values = await TempFileAsync(".json", Values);
        var none = await DtiProcess.RunAsync(null, "score", "--values", values);
        Assert.Equal(1, none.Code);
        Assert.Contains("--set-file", none.Stderr);
    }

    [Fact]
    public async Task Export_then_import_the_workbook_is_unchanged_and_an_edited_workbook_with_a_new_version_is_stored()
    {
        var xlsx = TempPath(".xlsx");
        var yaml = TempPath(".yaml");
        var export = await DtiProcess.RunAsync(db.ConnectionString, "sets", "export", "hung-yen-commune-2024", "--format", "xlsx", "--out", xlsx);
        Assert.True(export.Code == 0, export.Stderr);
        var exportYaml = await DtiProcess.RunAsync(db.ConnectionString, "sets", "export", "hung-yen-commune-2024", "--version", "1", "--format", "yaml", "--out", yaml);
        Assert.True(exportYaml.Code == 0, exportYaml.Stderr);
        Assert.Equal(BuiltInLibraries.ReadText("hung-yen-commune-2024"), await File.ReadAllTextAsync(yaml));

        // The exported workbook, imported again, is the same set: nothing stored, nothing refused.
        var again = await DtiProcess.RunAsync(db.ConnectionString, "sets", "import", xlsx);
        Assert.True(again.Code == 0, again.Stderr);
        Assert.Contains("không thay đổi", again.Stdout);

        // Version 2 with one criterion's max moved between two siblings: stored, and the diff names them.
        using (var wb = new XLWorkbook(xlsx))
        {
            var decision = wb.Worksheet("Quyết định");
            decision.Cell(decision.RowsUsed().First(r => r.Cell(1).GetString() == "Phiên bản").RowNumber(), 2).SetValue("2");
            var tree = wb.Worksheet("Chỉ số");
            int Row(string code) => tree.RowsUsed().First(r => r.Cell(1).GetString() == code).RowNumber();
            tree.Cell(Row("1.1"), 3).SetValue(tree.Cell(Row("1.1"), 3).GetDouble() + 5);
            tree.Cell(Row("1.2"), 3).SetValue(tree.Cell(Row("1.2"), 3).GetDouble() - 5);
            wb.Save();
        }
        var stored = await DtiProcess.RunAsync(db.ConnectionString, "sets", "load", xlsx); // the old name still works
        Assert.True(stored.Code == 0, stored.Stderr);
        Assert.Contains("phiên bản 2", stored.Stdout);
        Assert.Contains("~ 1.1", stored.Stdout);
        Assert.Contains("~ 1.2", stored.Stdout);

        var missing = await DtiProcess.RunAsync(db.ConnectionString, "sets", "export", "hung-yen-commune-2024", "--version", "9", "--format", "yaml", "--out", TempPath(".yaml"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("phiên bản 9", missing.Stderr);
    }

    [Fact]
    public async Task Import_of_a_broken_workbook_lists_every_problem_and_stores_nothing()
    {
        var xlsx = TempPath(".xlsx");
        using (var wb = WorkbookOf("gia-lai-district-2023"))
        {
            var decision = wb.Worksheet("Quyết định");
            decision.Cell(decision.RowsUsed().First(r => r.Cell(1).GetString() == "Mã bộ chỉ số").RowNumber(), 2).SetValue("bo-moi-loi");
            decision.Cell(decision.RowsUsed().First(r => r.Cell(1).GetString() == "Cấp đánh giá").RowNumber(), 2).SetValue("Thôn");
            var inputs = wb.Worksheet("Đầu vào");
            inputs.Cell(2, 5).SetValue("Chữ");
            wb.SaveAs(xlsx);
        }
        var (code, _, stderr) = await DtiProcess.RunAsync(db.ConnectionString, "sets", "import", xlsx);
        Assert.Equal(1, code);
        Assert.Contains("Trang tính \"Quyết định\"", stderr);
        Assert.Contains("Thôn", stderr);
        Assert.Contains("Trang tính \"Đầu vào\", dòng 2, cột E", stderr);

        var list = await DtiProcess.RunAsync(db.ConnectionString, "sets", "export", "bo-moi-loi", "--format", "yaml", "--out", TempPath(".yaml"));
        Assert.Equal(1, list.Code); // nothing was stored
    }

    private static XLWorkbook WorkbookOf(string id)
    {
        var stream = new MemoryStream();
        CriteriaWorkbook.Write(BuiltInLibraries.ReadText(id)!, stream);
        stream.Position = 0;
        return new XLWorkbook(stream);
    }

    private static string TempPath(string extension) => Path.Combine(Path.GetTempPath(), $"dti-{Guid.NewGuid():N}{extension}");

    private static async Task<string> TempFileAsync(string extension, string content)
    {
        var path = TempPath(extension);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
