using System.Diagnostics;
using System.Text.Json;
using DtiPortal.Domain.Criteria;
using DtiPortal.Integration.Tests.Criteria;
using DtiPortal.Integration.Tests.Infrastructure;

namespace DtiPortal.Integration.Tests.Cli;

/// <summary>`dti score` (the JSON contract other tools rely on) and `dti sets` / `dti sets load`, run as a separate process.</summary>
public class CriteriaCommandTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Score_HungYen_PrintsTheJsonContractWithEveryNode()
    {
        // seed 003: 1.1 option 1 (Bí thư/Chủ tịch) → 20; 1.2 = 3/4 × 20 = 15; 1.4 yes → 20; 1.3 and 1.5 not entered.
        var values = await TempFileAsync(".json", """
            {"units":[
              {"unit":"XA-LACDAO","general":{"1.4":9120},"values":{"1.1":1,"1.2.a":3,"1.2.b":4,"1.4":true}},
              {"unit":"XA-TRONG","values":{}}
            ]}
            """);
        var (code, stdout, stderr) = await RunAsync(null, "score", "--set", "hung-yen-commune-2024", "--values", values);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("hung-yen-commune-2024", root.GetProperty("set").GetString());
        var units = root.GetProperty("units");
        Assert.Equal(2, units.GetArrayLength());
        var unit = units[0];
        Assert.Equal("XA-LACDAO", unit.GetProperty("unit").GetString());
        Assert.Equal(JsonValueKind.Null, unit.GetProperty("level").ValueKind); // a points-only set
        Assert.Equal(55m, unit.GetProperty("total").GetDecimal());

        var set = BuiltInLibraries.Load("hung-yen-commune-2024");
        var nodes = unit.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(set.AllNodes.Select(n => n.Code), nodes.Select(n => n.GetProperty("code").GetString())); // groups included, document order
        foreach (var n in nodes)
        {
            Assert.Equal(JsonValueKind.Number, n.GetProperty("points").ValueKind);
            Assert.Equal(JsonValueKind.Number, n.GetProperty("max").ValueKind);
            Assert.False(string.IsNullOrWhiteSpace(n.GetProperty("explanation").GetString()));
        }
        var group = nodes.Single(n => n.GetProperty("code").GetString() == "1");
        Assert.Equal(55m, group.GetProperty("points").GetDecimal());
        Assert.Equal(100m, group.GetProperty("max").GetDecimal());
        var ratio = nodes.Single(n => n.GetProperty("code").GetString() == "1.2");
        Assert.Equal(15m, ratio.GetProperty("points").GetDecimal());
        var missing = unit.GetProperty("missing").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains("1.3", missing);
        Assert.Contains("1.5", missing);
        Assert.Equal(0m, units[1].GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Score_WhenValuesNameAnUnknownCode_ExitsWithOneNamingIt()
    {
        var values = await TempFileAsync(".json", """{"units":[{"unit":"XA-1","values":{"1.1":1,"99.9":5}}]}""");
        var (code, stdout, stderr) = await RunAsync(null, "score", "--set", "hung-yen-commune-2024", "--values", values);

        Assert.Equal(1, code);
        Assert.Contains("99.9", stderr);
        Assert.Equal("", stdout.Trim());
    }

    [Fact]
    public async Task Score_WhenAWarningRuleIsBroken_ListsItPerUnit()
    {
        // 8.1.b and 8.2.b are the same figure (Tổng dân số từ 15 tuổi trở lên): rule DS15 warns when they differ.
        var values = await TempFileAsync(".json", """
            {"units":[
              {"unit":"XA-1","general":{"1.4":9120},"values":{"8.1.a":5000,"8.1.b":7000,"8.2.a":3000,"8.2.b":7100}},
              {"unit":"XA-2","general":{"1.4":9120},"values":{"8.1.a":5000,"8.1.b":7000,"8.2.a":3000,"8.2.b":7000}}
            ]}
            """);
        var (code, stdout, stderr) = await RunAsync(null, "score", "--set", "hung-yen-commune-2024", "--values", values);

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var units = json.RootElement.GetProperty("units");
        var warning = Assert.Single(units[0].GetProperty("warnings").EnumerateArray());
        Assert.Equal("DS15", warning.GetProperty("code").GetString());
        Assert.Equal("8.2.b = 8.1.b", warning.GetProperty("rule").GetString());
        Assert.StartsWith("Tổng dân số từ 15 tuổi trở lên ở 8.2.b khác với 8.1.b", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(units[1].GetProperty("warnings").EnumerateArray());
    }

    [Fact]
    public async Task Score_WhenAnErrorRuleIsBroken_ExitsWithOneNamingUnitAndRule_AndScoresNothing()
    {
        var values = await TempFileAsync(".json", """{"units":[{"unit":"XA-1","values":{"6.3.a":100,"6.3.b":60,"6.3.c":50}}]}""");
        var (code, stdout, stderr) = await RunAsync(null, "score", "--set", "hung-yen-commune-2024", "--values", values);

        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim());
        Assert.Contains("Đơn vị 'XA-1': Tổng số hồ sơ giải quyết trực tuyến (6.3.b + 6.3.c) không thể lớn hơn tổng số hồ sơ giải quyết trong năm (6.3.a). "
            + "(quy tắc HS-6.3: 6.3.b + 6.3.c <= 6.3.a; 110 > 100)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_WhenSetIsUnknown_ExitsWithOneNamingIt()
    {
        var values = await TempFileAsync(".json", """{"units":[]}""");
        var (code, _, stderr) = await RunAsync(null, "score", "--set", "khong-co-bo-nay", "--values", values);

        Assert.Equal(1, code);
        Assert.Contains("khong-co-bo-nay", stderr);
    }

    [Fact]
    public async Task Sets_WithoutDatabase_StillListsTheBuiltIns()
    {
        var (code, stdout, _) = await RunAsync(null, "sets");

        Assert.Equal(0, code);
        Assert.Contains("hung-yen-commune-2024\tv1\tcommune", stdout);
        Assert.Contains("mic-2361-district", stdout);
    }

    [Fact]
    public async Task SetsLoad_BadFile_PrintsEveryErrorWithPathAndExitsOne()
    {
        var file = await TempFileAsync(".yaml", CriteriaSetVersionTests.Version1("cli-loi").Replace("method: yesno", "methd: yesno").Replace("level: commune", "level: village"));

        var (code, stdout, stderr) = await RunAsync(db.ConnectionString, "sets", "load", file);

        Assert.Equal(1, code);
        Assert.Contains("tree[0].children[0].methd (dòng", stderr);
        Assert.Contains("tree[0].children[0].method", stderr);
        Assert.Contains("level", stderr);
        Assert.DoesNotContain("Đã nạp", stdout);
        var (_, list, _) = await RunAsync(db.ConnectionString, "sets", "load", await TempFileAsync(".yaml", CriteriaSetVersionTests.Version1("cli-loi")));
        Assert.Contains("phiên bản đầu tiên", list); // nothing of the bad file was stored before
    }

    [Fact]
    public async Task SetsLoad_NewVersion_PrintsDiff_AndAnEditedVersionIsRefused()
    {
        var v1 = await TempFileAsync(".yaml", CriteriaSetVersionTests.Version1("cli-phien-ban"));
        var v2 = await TempFileAsync(".yaml", CriteriaSetVersionTests.Version2("cli-phien-ban"));
        var v1Edited = await TempFileAsync(".yaml", CriteriaSetVersionTests.Version1("cli-phien-ban", comment: "đã sửa"));

        var first = await RunAsync(db.ConnectionString, "sets", "load", v1);
        var second = await RunAsync(db.ConnectionString, "sets", "load", v2);
        var again = await RunAsync(db.ConnectionString, "sets", "load", v2);
        var edited = await RunAsync(db.ConnectionString, "sets", "load", v1Edited);

        Assert.True(first.Code == 0, first.Stderr);
        Assert.Contains("phiên bản 1 (phiên bản đầu tiên)", first.Stdout);
        Assert.Equal(0, second.Code);
        Assert.Contains("so với phiên bản 1: thêm 1, bỏ 1, thay đổi 1", second.Stdout);
        Assert.Contains("+ 1.3 Có chuyên mục chuyển đổi số", second.Stdout);
        Assert.Contains("- 1.1 Có kế hoạch chuyển đổi số", second.Stdout);
        Assert.Contains("~ 1.2 Tỷ lệ hồ sơ trực tuyến: cách tính:", second.Stdout);
        Assert.Equal(0, again.Code);
        Assert.Contains("đã có, không thay đổi", again.Stdout);
        Assert.Equal(1, edited.Code);
        Assert.Contains("Phiên bản đã công bố không được sửa; hãy tăng version", edited.Stderr);
    }

    [Theory]
    [InlineData("1e29")]
    [InlineData("-1e29")]
    [InlineData("1e400")]
    public async Task Score_WhenValueIsBeyondADecimal_ExitsWithOneAndAVietnameseRefusalNamingIt(string number)
    {
        var values = await TempFileAsync(".json", $$$"""{"units":[{"unit":"XA-1","values":{"1.1":1,"1.2.a":{{{number}}},"1.2.b":4}}]}""");
        var (code, stdout, stderr) = await RunAsync(null, "score", "--set", "hung-yen-commune-2024", "--values", values);

        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim());
        Assert.Contains($"units[0].values.1.2.a: giá trị {number} quá lớn", stderr);
        Assert.DoesNotContain("Exception", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Score_WhenValueIs1e28_IsAccepted()
    {
        var values = await TempFileAsync(".json", """{"units":[{"unit":"XA-1","values":{"1.2.a":1e28,"1.2.b":1e28}}]}""");
        var (code, _, stderr) = await RunAsync(null, "score", "--set", "hung-yen-commune-2024", "--values", values);
        Assert.True(code == 0, stderr);
    }

    [Theory]
    [InlineData("""{"units":[{"unit":"XA-1","values":{"1.2.a":3,"1.2.b":4,"1.2.a":4}}]}""", "units[0].values: mã \"1.2.a\" xuất hiện hơn một lần")]
    [InlineData("""{"units":[{"unit":"XA-1","general":{"1.4":9120,"1.4":10}}]}""", "units[0].general: mã \"1.4\" xuất hiện hơn một lần")]
    [InlineData("""{"units":[{"unit":"XA-1","values":{"1.1":1},"values":{"1.1":2}}]}""", "units[0]: khóa \"values\" xuất hiện hơn một lần")]
    [InlineData("""{"units":[],"units":[{"unit":"XA-1"}]}""", "tệp số liệu: khóa \"units\" xuất hiện hơn một lần")]
    public async Task Score_WhenValuesFileRepeatsAKey_ExitsWithOneNamingIt(string json, string expected)
    {
        var values = await TempFileAsync(".json", json);
        var (code, stdout, stderr) = await RunAsync(null, "score", "--set", "hung-yen-commune-2024", "--values", values);

        Assert.Equal(1, code);
        Assert.Equal("", stdout.Trim());
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public async Task Score_Json_CarriesEachNodesFlagsByName()
    {
        // 1.2 = a/b (seed 003): b = 0 → DivisionByZero; a > b → RatioAbove100; a < 0 → NegativeInput; not entered → Missing.
        var values = await TempFileAsync(".json", """
            {"units":[
              {"unit":"CHIA-0","values":{"1.2.a":3,"1.2.b":0}},
              {"unit":"VUOT","values":{"1.2.a":5,"1.2.b":4}},
              {"unit":"AM","values":{"1.2.a":-1,"1.2.b":4}},
              {"unit":"DU","values":{"1.2.a":3,"1.2.b":4}},
              {"unit":"THIEU","values":{}}
            ]}
            """);
        var (code, stdout, stderr) = await RunAsync(null, "score", "--set", "hung-yen-commune-2024", "--values", values);
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var flags = json.RootElement.GetProperty("units").EnumerateArray().ToDictionary(
            u => u.GetProperty("unit").GetString()!,
            u => u.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("code").GetString() == "1.2")
                .GetProperty("flags").EnumerateArray().Select(f => f.GetString()).ToList());
        Assert.Equal(["DivisionByZero"], flags["CHIA-0"]);
        Assert.Equal(["RatioAbove100"], flags["VUOT"]);
        Assert.Equal(["NegativeInput"], flags["AM"]);
        Assert.Empty(flags["DU"]);
        Assert.Equal(["Missing"], flags["THIEU"]);

        // A direct criterion (Bắc Giang 2024, 1.1, 0…20) typed above its maximum.
        var direct = await TempFileAsync(".json", """{"units":[{"unit":"HUYEN","values":{"1.1":25}}]}""");
        var (directCode, directOut, directErr) = await RunAsync(null, "score", "--set", "bac-giang-district-2024", "--values", direct);
        Assert.True(directCode == 0, directErr);
        using var directJson = JsonDocument.Parse(directOut);
        var node = directJson.RootElement.GetProperty("units")[0].GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("code").GetString() == "1.1");
        Assert.Equal(["AboveMax"], node.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    private static async Task<string> TempFileAsync(string extension, string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"dti-{Guid.NewGuid():N}{extension}");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(string? connectionString, params string[] args) =>
        DtiProcess.RunAsync(connectionString, args);
}
