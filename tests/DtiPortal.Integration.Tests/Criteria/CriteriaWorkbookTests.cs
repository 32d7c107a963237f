using ClosedXML.Excel;
using DtiPortal.Application.Criteria.Workbook;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Integration.Tests.Criteria;

/// <summary>
/// Issue 14: the criteria workbook. Every built-in set goes YAML → workbook → YAML and must score identically on
/// generated cohorts; a broken workbook names every problem by sheet, row and column and gives no YAML.
/// No database: the workbook is a file format.
/// </summary>
public sealed class CriteriaWorkbookTests
{
    public static TheoryData<string> SetIds() => [.. BuiltInLibraries.Ids];

    [Fact]
    public void All_six_built_in_sets_are_covered() => Assert.Equal(6, BuiltInLibraries.Ids.Count);

    [Theory]
    [MemberData(nameof(SetIds))]
    public void Yaml_to_workbook_to_yaml_scores_identically_on_generated_cohorts(string id)
    {
        var original = BuiltInLibraries.Load(id);
        var roundTripped = RoundTrip(BuiltInLibraries.ReadText(id)!);

        // The same tree, parameters, inputs and texts…
        Assert.Equal(original.Id, roundTripped.Id);
        Assert.Equal(original.Version, roundTripped.Version);
        Assert.Equal(original.Name, roundTripped.Name);
        Assert.Equal(original.Level, roundTripped.Level);
        Assert.Equal(original.Year, roundTripped.Year);
        Assert.Equal(original.Decision, roundTripped.Decision);
        Assert.Equal(original.Source, roundTripped.Source);
        Assert.Equal(original.MaxPoints, roundTripped.MaxPoints);
        Assert.Equal(original.Levels, roundTripped.Levels);
        Assert.Equal(original.General, roundTripped.General);
        Assert.Equal(original.AllNodes.Select(n => n.Code), roundTripped.AllNodes.Select(n => n.Code));
        foreach (var node in original.AllNodes)
        {
            var other = roundTripped.Find(node.Code)!;
            Assert.Equal(node.Name, other.Name);
            Assert.Equal(node.Kind, other.Kind);
            Assert.Equal(node.Max, other.Max);
            Assert.Equal(node.Children.Select(c => c.Code), other.Children.Select(c => c.Code));
            Assert.Equal(node.Method?.Signature, other.Method?.Signature);
            Assert.Equal(node.Inputs, other.Inputs);
            Assert.Equal(node.Details.Evidence, other.Details.Evidence);
            Assert.Equal(node.Details.Coordinating, other.Details.Coordinating);
            Assert.Equal(node.Details.Period, other.Details.Period);
            Assert.Equal(node.Details with { Evidence = [], Coordinating = [], Period = [] }, other.Details with { Evidence = [], Coordinating = [], Period = [] });
            Assert.Equal(node.Value?.Kind, other.Value?.Kind);
            Assert.Equal(node.Value?.Ratio?.Canonical, other.Value?.Ratio?.Canonical);
            Assert.Equal(node.Value?.Input, other.Value?.Input);
            Assert.Equal(node.Aggregate, other.Aggregate);
            Assert.Equal(
                node.LevelRequirements.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{MethodDescriber.DescribeRequirement(kv.Value)}"),
                other.LevelRequirements.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{MethodDescriber.DescribeRequirement(kv.Value)}"));
        }
        Assert.Equal(original.ValueAddresses.Select(a => a.Address), roundTripped.ValueAddresses.Select(a => a.Address));

        // …and the same points, flags and level for every unit of three seeded cohorts (peer-relative criteria included).
        foreach (var seed in new[] { 14, 2024, 99_991 })
        {
            var units = Cohort(original, new Random(seed), 30);
            var a = ScoringEngine.Score(original, units);
            var b = ScoringEngine.Score(roundTripped, units);
            for (var u = 0; u < units.Count; u++)
            {
                Assert.Equal(a.Units[u].Total, b.Units[u].Total);
                Assert.Equal(a.Units[u].Level, b.Units[u].Level);
                Assert.Equal(a.Units[u].Missing, b.Units[u].Missing);
                for (var n = 0; n < a.Units[u].Nodes.Count; n++)
                {
                    Assert.Equal(a.Units[u].Nodes[n].Points, b.Units[u].Nodes[n].Points);
                    Assert.Equal(a.Units[u].Nodes[n].Flags, b.Units[u].Nodes[n].Flags);
                    Assert.Equal(a.Units[u].Nodes[n].LevelMet, b.Units[u].Nodes[n].LevelMet);
                }
            }
            // The cohort is not degenerate: points (or, in a levels-only set, the levels criteria meet) differ between units.
            Assert.True(a.Units.Select(x => x.Total).Distinct().Count() > 1
                        || a.Units.Select(x => string.Join(",", x.Nodes.Select(n => n.LevelMet))).Distinct().Count() > 1);
        }

        // The YAML writer alone round-trips too (the studio stores sets through it).
        var rewritten = CriteriaSetLoader.Parse(CriteriaSetYamlWriter.Write(original));
        Assert.True(rewritten.Success, string.Join("\n", rewritten.Errors));
    }

    [Fact]
    public void Blank_template_has_every_sheet_with_drop_downs_and_help_and_reads_back_as_problems_not_an_exception()
    {
        using var stream = new MemoryStream();
        CriteriaWorkbook.WriteBlankTemplate(stream);
        stream.Position = 0;
        using (var wb = new XLWorkbook(stream))
        {
            foreach (var name in new[] { "Hướng dẫn", "Quyết định", "Chỉ số", "Đầu vào", "Thông tin chung", "Các mức", "Yêu cầu theo mức", "Quy tắc kiểm tra" })
                Assert.True(wb.Worksheets.Contains(name), name);
            var tree = wb.Worksheet("Chỉ số");
            Assert.Equal("STT/Mã", tree.Cell(1, 1).GetString());
            Assert.Equal("Kỳ", tree.Cell(1, 9).GetString());
            Assert.True(tree.Cell(1, 12).HasComment);
            Assert.Contains(tree.DataValidations, dv => dv.Ranges.Any(r => r.RangeAddress.FirstAddress.ColumnNumber == 12) && dv.InputMessage.Length > 0);
        }
        stream.Position = 0;
        var result = CriteriaWorkbook.Read(stream);
        Assert.False(result.Success);
        Assert.Null(result.Yaml);
        Assert.Contains(result.Problems, p => p.Sheet == "Quyết định");
    }

    [Fact]
    public void A_new_set_typed_into_the_blank_template_as_an_admin_would_loads_and_scores()
    {
        using var stream = new MemoryStream();
        CriteriaWorkbook.WriteBlankTemplate(stream);
        stream.Position = 0;
        using (var wb = new XLWorkbook(stream))
        {
            var decision = wb.Worksheet("Quyết định");
            void Set(string label, object value) => decision.Cell(FindRow(decision, 1, label), 2).SetValue(value);
            Set("Mã bộ chỉ số", "thu-mau-trang");
            Set("Phiên bản", 1);                                   // a number cell, as Excel stores a typed 1
            Set("Tên bộ chỉ số", "Bộ chỉ số thử");
            Set("Cấp đánh giá", "Xã");
            Set("Tổng điểm tối đa", 30);
            Set("Số quyết định", "12/QĐ-UBND");
            Set("Ngày ban hành", new DateTime(2025, 10, 23));     // a date cell
            Set("Cơ quan ban hành", "Ủy ban nhân dân tỉnh thử");
            var tree = wb.Worksheet("Chỉ số");
            object?[][] rows =
            [
                ["1", "Nhận thức số", 30, null, null, null, null, null, null, 1],
                ["1.1", "Tỷ lệ hộ có điện thoại thông minh", 20, null, "Danh sách", null, "Văn phòng", null, "Cả năm", 2, null, "Đạt ngưỡng được tối đa, dưới ngưỡng theo tỷ lệ/ngưỡng", "a/b"],
                ["1.2", "Có cổng thông tin", 10, null, null, null, null, null, null, 2, null, "Có/Không: có được điểm tối đa"],
            ];
            for (var r = 0; r < rows.Length; r++)
                for (var c = 0; c < rows[r].Length; c++)
                    if (rows[r][c] is { } v) tree.Cell(r + 2, c + 1).SetValue(v);
            tree.Cell(3, 14).SetValue(0.8);                        // "80%" typed into Excel: 0.8 shown as a percentage
            tree.Cell(3, 14).Style.NumberFormat.NumberFormatId = 9;
            var inputs = wb.Worksheet("Đầu vào");
            string[][] inputRows = [["1.1", "a", "Số hộ có điện thoại thông minh", "hộ", "Số nguyên", ""], ["1.1", "b", "Tổng số hộ", "hộ", "", "1.6"]];
            for (var r = 0; r < inputRows.Length; r++)
                for (var c = 0; c < inputRows[r].Length; c++) inputs.Cell(r + 2, c + 1).SetValue(inputRows[r][c]);
            var general = wb.Worksheet("Thông tin chung");
            string[] households = ["1.6", "households", "Số hộ gia đình", "hộ", "Số nguyên"];
            for (var c = 0; c < households.Length; c++) general.Cell(2, c + 1).SetValue(households[c]);
            stream.SetLength(0);
            wb.SaveAs(stream);
        }
        stream.Position = 0;
        var result = CriteriaWorkbook.Read(stream);
        Assert.True(result.Success, string.Join("\n", result.Problems));
        var set = CriteriaSetLoader.Parse(result.Yaml!).Set!;
        Assert.Equal(new DateOnly(2025, 10, 23), set.Decision.Date);
        Assert.Equal(0.8m, set.Find("1.1")!.Method!.Target);
        var unit = ScoringEngine.ScoreOne(set, new UnitValues("XA", new Dictionary<string, object?> { ["1.1.a"] = 60, ["1.2"] = true },
            new Dictionary<string, object?> { ["1.6"] = 100 }));
        Assert.Equal(15m + 10m, unit.Total); // 60% of an 80% target: 60/80 × 20 = 15
    }

    [Fact]
    public void An_empty_template_names_the_empty_decision_cells_in_its_own_words()
    {
        using var stream = new MemoryStream();
        CriteriaWorkbook.WriteBlankTemplate(stream);
        stream.Position = 0;
        var result = CriteriaWorkbook.Read(stream);
        Assert.Contains(result.Problems, p => p is { Sheet: "Quyết định", Row: 2, Column: "B", Message: "Chưa điền \"Mã bộ chỉ số\"" });
        Assert.Contains(result.Problems, p => p is { Sheet: "Quyết định", Column: "B", Message: "Chưa điền \"Số quyết định\"" });
    }

    [Fact]
    public void A_file_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_loaded()
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 65; i++) entry.Write(zeros);
        }
        stream.Position = 0;
        var result = CriteriaWorkbook.Read(stream);
        Assert.Null(result.Yaml);
        Assert.Contains("quá lớn", Assert.Single(result.Problems).Message);
    }

    [Fact]
    public void A_workbook_with_errors_on_several_sheets_names_every_problem_and_loads_nothing()
    {
        using var stream = new MemoryStream();
        CriteriaWorkbook.Write(BuiltInLibraries.ReadText("hung-yen-commune-2024")!, stream);
        stream.Position = 0;
        int row11, row44;
        using (var wb = new XLWorkbook(stream))
        {
            var decision = wb.Worksheet("Quyết định");
            decision.Cell(FindRow(decision, 1, "Ngày ban hành"), 2).SetValue("31/02/2024");          // 1. an impossible date
            var tree = wb.Worksheet("Chỉ số");
            row11 = FindRow(tree, 1, "2.1");
            tree.Cell(row11, 3).SetValue(999);                                                          // 2. 2.1's max: the group's sum no longer holds
            tree.Cell(FindRow(tree, 1, "1.2"), 12).SetValue("Tính nhẩm");                               // 3. an unknown method
            row44 = FindRow(tree, 1, "4.4");
            tree.Cell(row44, 13).SetValue("a/(b1+b9)");                                                 // 4. an undeclared input in the formula
            var inputs = wb.Worksheet("Đầu vào");
            var lastInput = inputs.LastRowUsed()!.RowNumber();
            inputs.Cell(lastInput + 1, 1).SetValue("9.9");                                              // 5. an input of a criterion that does not exist
            inputs.Cell(lastInput + 1, 2).SetValue("a");
            inputs.Cell(lastInput + 1, 3).SetValue("Số lượng");
            var general = wb.Worksheet("Thông tin chung");
            general.Cell(3, 2).SetValue(general.Cell(2, 2).GetString());                                // 6. a duplicated general key
            using var edited = new MemoryStream();
            wb.SaveAs(edited);
            stream.SetLength(0);
            edited.Position = 0;
            edited.CopyTo(stream);
        }
        stream.Position = 0;
        var result = CriteriaWorkbook.Read(stream);

        Assert.False(result.Success);
        Assert.Null(result.Yaml);
        var text = string.Join("\n", result.Problems);
        Assert.Contains(result.Problems, p => p is { Sheet: "Quyết định", Column: "B" } && p.Message.Contains("31/02/2024"));
        Assert.Contains(result.Problems, p => p.Sheet == "Chỉ số" && p.Row == row11 - 1 && p.Column == "C" && p.Message.Contains("Tổng điểm tối đa của các chỉ số con"));
        Assert.Contains(result.Problems, p => p.Sheet == "Chỉ số" && p.Column == "L" && p.Message.Contains("Tính nhẩm"));
        Assert.Contains(result.Problems, p => p.Sheet == "Chỉ số" && p.Row == row44 && p.Column == "M" && p.Message.Contains("b9"));
        Assert.Contains(result.Problems, p => p.Sheet == "Đầu vào" && p.Column == "A" && p.Message.Contains("9.9"));
        Assert.Contains(result.Problems, p => p is { Sheet: "Thông tin chung", Row: 3, Column: "B" } && p.Message.Contains("bị trùng"));
        Assert.All(result.Problems, p => Assert.NotNull(p.Row));
        Assert.Contains("Trang tính \"Chỉ số\", dòng", text);
    }

    [Fact]
    public void Cach_tinh_typed_by_an_admin_is_kept_and_a_generated_one_is_not()
    {
        using var stream = new MemoryStream();
        CriteriaWorkbook.Write(BuiltInLibraries.ReadText("hung-yen-commune-2024")!, stream);
        stream.Position = 0;
        using (var wb = new XLWorkbook(stream))
        {
            var tree = wb.Worksheet("Chỉ số");
            tree.Cell(FindRow(tree, 1, "1.1"), 4).SetValue("Chủ tịch UBND xã: điểm tối đa; Phó Chủ tịch: 1/2 điểm tối đa");
            stream.SetLength(0);
            wb.SaveAs(stream);
        }
        stream.Position = 0;
        var result = CriteriaWorkbook.Read(stream);
        Assert.True(result.Success, string.Join("\n", result.Problems));
        var set = CriteriaSetLoader.Parse(result.Yaml!).Set!;
        Assert.Equal("Chủ tịch UBND xã: điểm tối đa; Phó Chủ tịch: 1/2 điểm tối đa", set.Find("1.1")!.Details.Formula);
        Assert.Null(set.Find("1.2")!.Details.Formula);
    }

    [Theory]
    [MemberData(nameof(SetIds))]
    public void Validation_rules_go_to_their_sheet_and_come_back_the_same(string id)
    {
        var original = BuiltInLibraries.Load(id);
        var roundTripped = RoundTrip(BuiltInLibraries.ReadText(id)!);

        Assert.Equal(
            original.ValidationRules.Select(r => (r.Code, r.Text, r.Message, r.Severity)),
            roundTripped.ValidationRules.Select(r => (r.Code, r.Text, r.Message, r.Severity)));
        // An untouched export is the same set: the canonical YAML is identical.
        Assert.Equal(CriteriaSetYamlWriter.Write(original), CriteriaSetYamlWriter.Write(roundTripped));
    }

    [Fact]
    public void Rules_sheet_of_a_set_shows_headers_a_help_row_and_one_rule_per_row_in_Vietnamese()
    {
        using var stream = new MemoryStream();
        CriteriaWorkbook.Write(BuiltInLibraries.ReadText("hung-yen-commune-2024")!, stream);
        stream.Position = 0;
        using var wb = new XLWorkbook(stream);
        var ws = wb.Worksheet("Quy tắc kiểm tra");
        Assert.Equal(["Mã quy tắc", "Quy tắc", "Mức độ", "Thông báo"], Enumerable.Range(1, 4).Select(c => ws.Cell(1, c).GetString()));
        Assert.StartsWith("Hướng dẫn:", ws.Cell(2, 1).GetString(), StringComparison.Ordinal);
        var row = FindRow(ws, 1, "HS-6.3");
        Assert.Equal("6.3.b + 6.3.c <= 6.3.a", ws.Cell(row, 2).GetString());
        Assert.Equal("Lỗi", ws.Cell(row, 3).GetString());
        Assert.Equal("Cảnh báo", ws.Cell(FindRow(ws, 1, "DS15"), 3).GetString());
        Assert.Contains(ws.DataValidations, dv => dv.Ranges.Any(r => r.RangeAddress.FirstAddress.ColumnNumber == 3));
    }

    [Fact]
    public void A_rule_typed_into_the_blank_template_loads_and_a_wrong_one_is_named_by_row_and_column()
    {
        using var stream = new MemoryStream();
        CriteriaWorkbook.Write(BuiltInLibraries.ReadText("gia-lai-district-2023")!, stream);
        stream.Position = 0;
        int added, wrong;
        using (var wb = new XLWorkbook(stream))
        {
            var ws = wb.Worksheet("Quy tắc kiểm tra");
            added = ws.LastRowUsed()!.RowNumber() + 1;
            ws.Cell(added, 1).SetValue("MOI-1");
            ws.Cell(added, 2).SetValue("6.5.a + 6.5.b >= 6.5.c");
            ws.Cell(added, 3).SetValue("Cảnh báo");
            ws.Cell(added, 4).SetValue("Tổng số DVCTT có hồ sơ nhỏ hơn số một phần có hồ sơ trực tuyến.");
            using var edited = new MemoryStream();
            wb.SaveAs(edited);
            stream.SetLength(0);
            edited.Position = 0;
            edited.CopyTo(stream);
        }
        stream.Position = 0;
        var ok = CriteriaWorkbook.Read(stream);
        Assert.True(ok.Success, string.Join("\n", ok.Problems));
        var rule = CriteriaSetLoader.Parse(ok.Yaml!).Set!.ValidationRules.Single(r => r.Code == "MOI-1");
        Assert.Equal(RuleSeverity.Warning, rule.Severity);

        stream.Position = 0;
        using (var wb = new XLWorkbook(stream))
        {
            var ws = wb.Worksheet("Quy tắc kiểm tra");
            wrong = added;
            ws.Cell(wrong, 2).SetValue("6.5.a + 6.5.x >= 6.5.c");
            ws.Cell(wrong, 3).SetValue("Nghiêm trọng");
            using var edited = new MemoryStream();
            wb.SaveAs(edited);
            stream.SetLength(0);
            edited.Position = 0;
            edited.CopyTo(stream);
        }
        stream.Position = 0;
        var bad = CriteriaWorkbook.Read(stream);
        Assert.False(bad.Success);
        Assert.Contains(bad.Problems, p => p is { Sheet: "Quy tắc kiểm tra", Column: "B" } && p.Row == wrong
            && p.Message.StartsWith("Quy tắc MOI-1: không có ô nhập '6.5.x' trong bộ chỉ số tại vị trí 9", StringComparison.Ordinal));
        Assert.Contains(bad.Problems, p => p is { Sheet: "Quy tắc kiểm tra", Column: "C" } && p.Row == wrong && p.Message.Contains("Nghiêm trọng"));
    }

    private static int FindRow(IXLWorksheet ws, int column, string text) =>
        ws.RowsUsed().First(r => r.Cell(column).GetString() == text).RowNumber();

    private static CriteriaSet RoundTrip(string yaml)
    {
        using var stream = new MemoryStream();
        CriteriaWorkbook.Write(yaml, stream);
        stream.Position = 0;
        var result = CriteriaWorkbook.Read(stream);
        Assert.True(result.Success, string.Join("\n", result.Problems));
        var loaded = CriteriaSetLoader.Parse(result.Yaml!);
        Assert.True(loaded.Success, string.Join("\n", loaded.Errors));
        return loaded.Set!;
    }

    /// <summary>Random but seeded figures for every value of the set, general information included; some left missing.</summary>
    internal static List<UnitValues> Cohort(CriteriaSet set, Random random, int count)
    {
        var units = new List<UnitValues>();
        for (var i = 0; i < count; i++)
        {
            var general = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var g in set.General)
            {
                general[g.Code] = g.Type switch
                {
                    InputType.Text => "Nguyễn Văn A",
                    InputType.Date => "2024-12-01",
                    InputType.Percent => Math.Round((decimal)random.NextDouble() * 100, 1),
                    _ => (object)(long)random.Next(0, 3000),
                };
            }
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var a in set.ValueAddresses)
            {
                if (a.General is not null && random.Next(3) > 0) continue; // mostly taken from general information
                if (random.Next(20) == 0) continue; // now and then missing
                object value;
                if (a.IsList) value = Enumerable.Range(0, random.Next(1, 10)).Select(_ => random.Next(0, 6)).ToArray();
                else if (a.OptionCount > 0) value = random.Next(1, a.OptionCount + 1);
                else value = a.Type switch
                {
                    InputType.Boolean => random.Next(3) > 0,
                    InputType.Percent => Math.Round((decimal)random.NextDouble() * 110, 2),
                    InputType.Number or InputType.Money => Math.Round((decimal)random.NextDouble() * 500, 2),
                    _ => (long)random.Next(0, a.Key is "a" ? 1200 : 1500),
                };
                values[a.Address] = value;
            }
            units.Add(new UnitValues($"DV-{i:D3}", values, general));
        }
        return units;
    }
}
