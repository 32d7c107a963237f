using DtiPortal.Application.Assessments;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Assessments;
using DtiPortal.Integration.Tests.Reviews;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Integration.Tests.Spreadsheets;

/// <summary>
/// Issue 7's entry template: download → fill offline (with OpenXml here, as Excel would save it) → upload. The import
/// stores exactly what typing the same texts stores; every kind of bad cell is reported with its sheet, row and column,
/// and then nothing at all changes.
/// </summary>
public class EntryTemplateImportTests(ReviewFixture fx) : IClassFixture<ReviewFixture>
{
    private const string Sheet = EntryTemplate.SheetName;

    /// <summary>What an officer types on the entry page (the same figures as the review tests).</summary>
    private static readonly (string Address, string Text)[] Baseline =
    [
        ("general:1.4", "9.120"), ("general:1.6", "2.450"), ("1.1", "1"), ("1.2", "có"), ("1.3.a", "6.120"),
        ("1.4.a", "10"), ("1.4.b", "12"), ("1.5.a", "1.200"), ("1.6", "72,5"),
    ];

    private Task<SpreadsheetFile> TemplateAsync(IUnitScope who, int id) =>
        fx.Entry.AsAsync<EntryTemplate, SpreadsheetFile>(who, t => t.BuildAsync(id));

    private Task<ImportEntryResult> ImportAsync(IUnitScope who, int id, byte[] content, string name = "mau-nhap.xlsx") =>
        fx.Entry.AsAsync<ImportEntryTemplate, ImportEntryResult>(who, i => i.HandleAsync(id, new MemoryStream(content), name));

    private async Task FillAsync(IUnitScope who, int id)
    {
        foreach (var (address, text) in Baseline)
        {
            var r = await fx.Entry.SaveAsync(who, id, address, text);
            Assert.True(r.Saved, $"{address}: {r.Error}");
        }
    }

    /// <summary>Every stored value of an assessment with its version and time: "nothing changed" compares these.</summary>
    private async Task<List<(string Address, string? Json, int Version, DateTimeOffset At)>> SnapshotAsync(int id)
    {
        await using var db = fx.Entry.Db.OwnerContext();
        return (await db.AssessmentValues.Where(v => v.AssessmentId == id).OrderBy(v => v.Address).ToListAsync())
            .Select(v => (v.Address, v.ValueJson, v.Version, v.UpdatedAt)).ToList();
    }

    private static int Row(Xlsx x, string address) => x.RowOf(Sheet, address);

    [Fact]
    public async Task Import_RoundTrip_StoresExactlyWhatTypingStores_WithTheSameVersionsAuditAndScore()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        // The cells as a user leaves them in Excel (numbers typed as numbers, or text the Vietnamese way), and the same
        // figures typed on the entry page.
        (string Address, object Cell, string Typed)[] figures =
        [
            ("general:1.4", 9120m, "9.120"), ("general:1.6", "2.450", "2.450"), ("general:1.20", "Nguyễn Thị Hoa", "Nguyễn Thị Hoa"),
            ("general:1.21", "15/03/2024", "15/03/2024"), ("1.1", 1, "1"), ("1.2", "có", "có"), ("1.3.a", "6.120", "6.120"),
            ("1.4.a", 10, "10"), ("1.4.b", "12", "12"), ("1.5.a", 1200, "1.200"), ("1.6", 72.5m, "72,5"),
        ];
        foreach (var (address, _, typed) in figures)
            Assert.True((await fx.Entry.SaveAsync(fx.Officer("C2"), a["C2"], address, typed)).Saved, address);

        var template = await TemplateAsync(fx.Officer(), a["C1"]);
        using (var blank = new Xlsx(template.Content))
        {
            Assert.Empty(blank.ValidationErrors());
            Assert.Equal([Sheet, EntryTemplate.GuideSheetName, EntryTemplate.MetaSheetName], blank.SheetNames);
            Assert.Equal(["Mã ô", "Tiêu chí", "Nội dung cần nhập", "Đơn vị tính", "Giá trị", "Ghi chú"],
                "ABCDEF".Select(c => blank.Cell(Sheet, $"{c}{EntryTemplate.HeaderRow}").Text).ToList());
            Assert.True(Row(blank, "general:1.4") < Row(blank, "1.1")); // general information first
            Assert.Throws<KeyNotFoundException>(() => Row(blank, "1.3.b")); // read from the general information, not typed
            Assert.Contains("1 = Chủ tịch UBND xã", blank.Cell(Sheet, $"F{Row(blank, "1.1")}").Text);
            Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.SheetStateValues.Hidden, blank.SheetElement(EntryTemplate.MetaSheetName).State!.Value);
            // Drop-downs and ranges as a spreadsheet program reads them: a warning (the import checks anyway), on a protected sheet.
            var validations = blank.Sheet(Sheet).Descendants<DocumentFormat.OpenXml.Spreadsheet.DataValidation>().ToList();
            // "E12" or "E12:E12" (ClosedXML writes a one-cell range as a range): the same cell either way.
            bool Covers(DocumentFormat.OpenXml.Spreadsheet.DataValidation v, string cell) =>
                (v.SequenceOfReferences?.InnerText ?? "").Split(' ').Any(r => r == cell || r == $"{cell}:{cell}");
            var yesNo = validations.Single(v => Covers(v, $"E{Row(blank, "1.2")}"));
            Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.DataValidationValues.List, yesNo.Type!.Value);
            Assert.Equal("\"Có,Không\"", yesNo.Formula1!.Text);
            Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.DataValidationErrorStyleValues.Warning, yesNo.ErrorStyle!.Value);
            var option = validations.Single(v => Covers(v, $"E{Row(blank, "1.1")}"));
            Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.DataValidationValues.Whole, option.Type!.Value);
            Assert.Equal("1", option.Formula1!.Text);
            Assert.True(int.Parse(option.Formula2!.Text, System.Globalization.CultureInfo.InvariantCulture) > 1);
            Assert.NotNull(blank.Sheet(Sheet).Descendants<DocumentFormat.OpenXml.Spreadsheet.SheetProtection>().SingleOrDefault());
            Assert.Contains("dấu phẩy", string.Join(" ", Enumerable.Range(1, 20).Select(r => blank.Cell(EntryTemplate.GuideSheetName, $"A{r}").Text)));
        }
        using var x = new Xlsx(template.Content, editable: true);
        foreach (var (address, cell, _) in figures) x.Set(Sheet, $"E{Row(x, address)}", cell);
        var filled = x.Save();

        var result = await ImportAsync(fx.Officer(), a["C1"], filled);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(figures.Length, result.Filled);
        var imported = await SnapshotAsync(a["C1"]);
        var typedRows = await SnapshotAsync(a["C2"]);
        Assert.Equal(typedRows.Select(v => (v.Address, v.Json, v.Version)), imported.Select(v => (v.Address, v.Json, v.Version)));
        Assert.All(imported, v => Assert.Equal(1, v.Version));

        await using (var db = fx.Entry.Db.OwnerContext())
        {
            // The same audit entries as typing: one per stored value, by the interceptor.
            async Task<int> AuditedAsync(int id)
            {
                var ids = await db.AssessmentValues.Where(v => v.AssessmentId == id).Select(v => v.Id.ToString()).ToListAsync();
                return await db.AuditLog.CountAsync(e => e.EntityType == nameof(AssessmentValue) && ids.Contains(e.EntityId!));
            }
            Assert.Equal(figures.Length, await AuditedAsync(a["C1"]));
            Assert.Equal(await AuditedAsync(a["C2"]), await AuditedAsync(a["C1"]));
            Assert.True(await db.AuditLog.AnyAsync(e => e.Action == "SpreadsheetImport" && e.EntityId == a["C1"].ToString()));
        }

        var byImport = await fx.ReviewAsync(fx.Officer(), a["C1"]);
        var byTyping = await fx.ReviewAsync(fx.Officer("C2"), a["C2"]);
        Assert.Equal(byTyping.SelfTotal, byImport.SelfTotal);
        Assert.Equal(byTyping.Criteria.Select(c => (c.Code, c.SelfPoints)), byImport.Criteria.Select(c => (c.Code, c.SelfPoints)));

        // The same file again changes nothing (every row now holds what is stored), and neither does a fresh template.
        var again = await ImportAsync(fx.Officer(), a["C1"], filled);
        Assert.True(again.Succeeded, string.Join("\n", again.Errors));
        Assert.Equal(0, again.Filled);
        var fresh = await ImportAsync(fx.Officer(), a["C1"], (await TemplateAsync(fx.Officer(), a["C1"])).Content);
        Assert.True(fresh.Succeeded, string.Join("\n", fresh.Errors));
        Assert.Equal(0, fresh.Filled);
        Assert.Equal(figures.Length, fresh.Unchanged);
        Assert.Equal(imported, await SnapshotAsync(a["C1"]));
    }

    [Fact]
    public async Task Import_BlankCells_LeaveStoredValuesAsTheyAre()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        await FillAsync(fx.Officer(), a["C1"]);
        var before = await SnapshotAsync(a["C1"]);
        using var x = new Xlsx((await TemplateAsync(fx.Officer(), a["C1"])).Content, editable: true);
        x.Set(Sheet, $"E{Row(x, "1.6")}", null);
        x.Set(Sheet, $"E{Row(x, "1.4.b")}", 15);

        var result = await ImportAsync(fx.Officer(), a["C1"], x.Save());

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(1, result.Filled);
        var after = (await SnapshotAsync(a["C1"])).ToDictionary(v => v.Address);
        Assert.Equal("72.5", after["1.6"].Json);
        Assert.Equal(before.Single(v => v.Address == "1.6"), after["1.6"]);
        Assert.Equal(("15", 2), (after["1.4.b"].Json, after["1.4.b"].Version));
    }

    public static TheoryData<string> BadCells =>
    [
        "text-in-number", "negative", "part-above-whole", "unknown-address", "duplicated-address", "value-without-address",
        "formula", "department-general", "department-unassigned", "not-returned", "other-assessment", "other-set-version", "renamed-header", "missing-header",
    ];

    [Theory]
    [MemberData(nameof(BadCells))]
    public async Task Import_WithABadCell_NamesSheetRowAndColumn_AndChangesNothing(string kind)
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        await FillAsync(fx.Officer(), id);
        var who = kind is "department-general" or "department-unassigned" ? fx.Entry.DepartmentOfficer() : fx.Officer();
        if (kind == "not-returned")
        {
            await using var db = fx.Entry.Db.OwnerContext();
            await db.Database.ExecuteSqlAsync($"update assessments set status = 'Returned', review_cycle = 1, returned_criteria = '{{1.3}}' where id = {id}");
        }
        var source = kind == "other-assessment" ? await TemplateAsync(fx.Officer("C2"), a["C2"]) : await TemplateAsync(who, id);
        using var x = new Xlsx(source.Content, editable: true);
        // One good change in every file: it must not be stored either.
        var (goodAddress, goodValue) = kind switch
        {
            "department-general" or "department-unassigned" => ("1.1", (object)2),
            "not-returned" => ("1.3.a", 5000m),
            _ => ("general:1.6", 3000m),
        };
        x.Set(Sheet, $"E{Row(x, goodAddress)}", goodValue);
        var next = x.LastRow(Sheet) + 1;
        (string Location, string Fragment) expected = kind switch
        {
            "text-in-number" => Set(x, "1.4.b", "mười hai", "không phải là số"),
            "negative" => Set(x, "1.4.b", -3, "không được là số âm"),
            "part-above-whole" => Set(x, "1.4.a", 15, "“Số cuộc họp có Chủ tịch chủ trì” (15) không thể lớn hơn “Tổng số cuộc họp” (12)"),
            "unknown-address" => SetAddress(x, "1.6", "9.9", "mã ô “9.9” không có trong bộ chỉ số"),
            "duplicated-address" => Add(x, next, "1.6", 50, "A", $"mã ô “1.6” lặp lại (đã có ở dòng {Row(x, "1.6")})"),
            "value-without-address" => Add(x, next, null, 50, "E", "không có mã ô"),
            "formula" => SetFormula(x, "1.4.b", "1+1", "ô chứa công thức"),
            "department-general" => Set(x, "general:1.4", 10000, "Thông tin chung do cán bộ xã nhập."),
            // The department's template lists only its own criteria: a row for another one is added by hand.
            "department-unassigned" => Add(x, next, "1.4.b", 20, "E", "Tiêu chí 1.4 không được giao cho phòng/ban của bạn."),
            "not-returned" => Set(x, "1.4.b", 20, "không nằm trong phần bị trả lại"),
            "other-assessment" => ("Trang tính '_dti', dòng 3, cột B", "bản đánh giá khác"),
            "other-set-version" => Meta(x, "B6", 2, "Trang tính '_dti', dòng 6, cột B", "phiên bản 2, còn đợt đánh giá dùng bộ chỉ số “test-commune-entry” phiên bản 1"),
            "renamed-header" => Header(x, "Số liệu", "tiêu đề phải là “Giá trị” (đang là “Số liệu”)"),
            "missing-header" => Header(x, null, "thiếu tiêu đề “Giá trị”"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var before = await SnapshotAsync(id);
        long lastAudit;
        await using (var db = fx.Entry.Db.OwnerContext()) lastAudit = await db.AuditLog.MaxAsync(e => (long?)e.Id) ?? 0;

        var result = await ImportAsync(who, id, x.Save());

        Assert.False(result.Succeeded);
        Assert.Equal(0, result.Filled);
        var error = Assert.Single(result.Errors);
        Assert.StartsWith(expected.Location + ": ", error.ToString());
        Assert.Contains(expected.Fragment, error.Message);
        Assert.Equal(before, await SnapshotAsync(id));

        // Issue 16 §1: a cell the user may not change is a refusal, and refusals are audited (the other bad cells are mistakes).
        await using (var db = fx.Entry.Db.OwnerContext())
        {
            var refusals = await db.AuditLog.Where(e => e.Id > lastAudit && e.Action == "AccessDenied").ToListAsync();
            if (kind is "department-general" or "department-unassigned" or "not-returned")
            {
                var row = Assert.Single(refusals);
                Assert.False(row.Success);
                Assert.Equal(id.ToString(), row.EntityId);
                Assert.StartsWith(ImportEntryTemplate.Action + ": ", row.Detail);
                Assert.Contains(expected.Fragment, row.Detail);
            }
            else Assert.Empty(refusals);
        }
    }

    private const string E = "cột E (Giá trị)";

    private static (string, string) Set(Xlsx x, string address, object value, string fragment)
    {
        var row = Row(x, address);
        x.Set(Sheet, $"E{row}", value);
        return ($"Trang tính '{Sheet}', dòng {row}, {E}", fragment);
    }

    private static (string, string) SetFormula(Xlsx x, string address, string formula, string fragment)
    {
        var row = Row(x, address);
        x.Set(Sheet, $"E{row}", 2, formula); // Excel saves the cached result too: it must not be used
        return ($"Trang tính '{Sheet}', dòng {row}, {E}", fragment);
    }

    private static (string, string) SetAddress(Xlsx x, string address, string newAddress, string fragment)
    {
        var row = Row(x, address);
        x.Set(Sheet, $"A{row}", newAddress);
        x.Set(Sheet, $"E{row}", 50);
        return ($"Trang tính '{Sheet}', dòng {row}, cột A (Mã ô)", fragment);
    }

    private static (string, string) Add(Xlsx x, int row, string? address, object value, string column, string fragment)
    {
        if (address is not null) x.Set(Sheet, $"A{row}", address);
        x.Set(Sheet, $"E{row}", value);
        return ($"Trang tính '{Sheet}', dòng {row}, {(column == "A" ? "cột A (Mã ô)" : E)}", fragment);
    }

    private static (string, string) Meta(Xlsx x, string cell, object value, string location, string fragment)
    {
        x.Set(EntryTemplate.MetaSheetName, cell, value);
        return (location, fragment);
    }

    private static (string, string) Header(Xlsx x, string? text, string fragment)
    {
        x.Set(Sheet, $"E{EntryTemplate.HeaderRow}", text);
        return ($"Trang tính '{Sheet}', dòng {EntryTemplate.HeaderRow}, {E}", fragment);
    }

    [Fact]
    public async Task Import_CollectsEveryError_NotJustTheFirst()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        using var x = new Xlsx((await TemplateAsync(fx.Officer(), a["C1"])).Content, editable: true);
        x.Set(Sheet, $"E{Row(x, "1.4.b")}", "mười hai");
        x.Set(Sheet, $"E{Row(x, "1.6")}", 120);
        x.Set(Sheet, $"E{Row(x, "1.1")}", 7);
        x.Set(Sheet, $"E{Row(x, "general:1.21")}", "15/03/2023");

        var result = await ImportAsync(fx.Officer(), a["C1"], x.Save());

        Assert.False(result.Succeeded);
        Assert.Equal(4, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal((Sheet, "E", "Giá trị"), (e.Sheet, e.Column, e.ColumnName)));
        Assert.Equal(result.Errors.OrderBy(e => e.Row).Select(e => e.Row), result.Errors.Select(e => e.Row));
        Assert.Empty(await SnapshotAsync(a["C1"]));
    }

    [Fact]
    public async Task Import_WhenSomeoneChangedAValueSinceTheDownload_RefusesThatCell_ButKeepsTheirValueWhenTheCellIsUntouched()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        await FillAsync(fx.Officer(), a["C1"]);
        var template = (await TemplateAsync(fx.Officer(), a["C1"])).Content;
        Assert.True((await fx.Entry.SaveAsync(fx.Entry.Officer(userId: "officer-1b"), a["C1"], "1.4.b", "14", expectedVersion: 1)).Saved);

        using (var x = new Xlsx(template, editable: true))
        {
            x.Set(Sheet, $"E{Row(x, "1.4.b")}", 13);
            var before = await SnapshotAsync(a["C1"]);
            var conflict = await ImportAsync(fx.Officer(), a["C1"], x.Save());
            Assert.False(conflict.Succeeded);
            Assert.Contains("đã được xa.c1 sửa lúc", Assert.Single(conflict.Errors).Message);
            Assert.Contains("(hiện là: 14)", conflict.Errors[0].Message);
            Assert.Equal(before, await SnapshotAsync(a["C1"]));
        }

        using (var x = new Xlsx(template, editable: true))
        {
            x.Set(Sheet, $"E{Row(x, "1.6")}", 80); // 1.4.b left as downloaded (12): the colleague's 14 stays
            var result = await ImportAsync(fx.Officer(), a["C1"], x.Save());
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            Assert.Equal(1, result.Filled);
            var after = (await SnapshotAsync(a["C1"])).ToDictionary(v => v.Address);
            Assert.Equal("14", after["1.4.b"].Json);
            Assert.Equal("80", after["1.6"].Json);
        }
    }

    [Fact]
    public async Task Import_IsRefused_WhenSubmitted_TooLarge_TooLong_NotXlsx_OrNotATemplate()
    {
        var (_, a) = await fx.Entry.NewRoundAsync();
        var id = a["C1"];
        var template = (await TemplateAsync(fx.Officer(), id)).Content;

        var tooLarge = await ImportAsync(fx.Officer(), id, new byte[ImportEntryTemplate.MaxBytes + 1]);
        Assert.Contains("lớn hơn 5 MB", Assert.Single(tooLarge.Errors).Message);

        using (var x = new Xlsx(template, editable: true))
        {
            x.AppendRows(Sheet, ImportEntryTemplate.MaxRows, i => ($"x.{i}", "1"));
            var tooLong = await ImportAsync(fx.Officer(), id, x.Save());
            Assert.Contains("vượt quá giới hạn 5.000 dòng", Assert.Single(tooLong.Errors).Message);
        }

        var csv = await ImportAsync(fx.Officer(), id, "Mã ô;Giá trị\n1.6;50\n"u8.ToArray(), "mau.csv");
        Assert.Contains(".xlsx", Assert.Single(csv.Errors).Message);

        var broken = await ImportAsync(fx.Officer(), id, "không phải tệp Excel"u8.ToArray());
        Assert.Contains("tệp hỏng", Assert.Single(broken.Errors).Message);

        await using (var ms = new MemoryStream())
        {
            TableFile.WriteXlsx(ms, ["Mã ô", "Giá trị"], [["1.6", "50"]]);
            var other = await ImportAsync(fx.Officer(), id, ms.ToArray());
            Assert.Contains("không phải mẫu nhập số liệu", Assert.Single(other.Errors).Message);
        }

        await fx.FillAndSubmitAsync(id);
        var before = await SnapshotAsync(id);
        using (var x = new Xlsx(template, editable: true))
        {
            x.Set(Sheet, $"E{Row(x, "1.6")}", 50);
            var submitted = await ImportAsync(fx.Officer(), id, x.Save());
            Assert.StartsWith(AssessmentRules.ReadOnlyMessage, Assert.Single(submitted.Errors).Message);
        }
        Assert.Equal(before, await SnapshotAsync(id));

        var outsider = await Record.ExceptionAsync(() => ImportAsync(fx.Officer("C2"), id, template));
        Assert.IsType<AccessDeniedException>(outsider);
    }
}
