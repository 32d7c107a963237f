using System.Text;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Spreadsheets;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Units;

/// <summary>Issue 2: each bad file is refused with a message naming the row, and the database is left exactly as it was.</summary>
public class UnitImportTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    private const string Header = "Mã,Tên,Loại,Mã đơn vị cấp trên,Hiệu lực từ,Hiệu lực đến,Đơn vị tiền thân,Hình thức";

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        // A province already in the database, so files can refer to it and collide with it.
        var result = await ImportCsvAsync(Header + "\n33,Hưng Yên,Tỉnh,,,,,\n33-VL,Văn Lâm,Huyện,33,,,,\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    public static TheoryData<string, string, int, string> BadFiles => new()
    {
        { "unknown parent", "X1,Lạc Đạo,Xã,ZZ", 2, "Không tìm thấy đơn vị cấp trên có mã 'ZZ'" },
        { "duplicate code in file", "X1,Lạc Đạo,Xã,33-VL\nX1,Chỉ Đạo,Xã,33-VL", 3, "Mã đơn vị 'X1' bị trùng với dòng" },
        { "code already stored", "33-VL,Văn Lâm mới,Huyện,33", 2, "Mã đơn vị '33-VL' đã có trong hệ thống" },
        { "cycle", "A,Huyện A,Huyện,B\nB,Huyện B,Huyện,A", 2, "vòng lặp" },
        { "level out of order", "X1,Lạc Đạo,Xã,33-VL\nH9,Huyện dưới xã,Huyện,X1", 3, "Sai thứ tự cấp" },
        { "empty name", "X1,,Xã,33-VL", 2, "Tên đơn vị 'X1' đang để trống" },
        { "unknown kind", "X1,Lạc Đạo,Làng,33-VL", 2, "Loại đơn vị 'Làng' không hợp lệ" },
        { "bad date", "X1,Lạc Đạo,Xã,33-VL,31/02/2024", 2, "không phải ngày hợp lệ" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ImportCsv_WhenFileIsBad_RefusesWithRowAndChangesNothing(string why, string rows, int row, string message)
    {
        var before = await SnapshotAsync();
        // A valid row first (so the bad rows move down by one): it must not be imported either.
        var result = await ImportCsvAsync(Header + "\nOK1,Như Quỳnh,Thị trấn,33-VL\n" + rows);
        Assert.False(result.Succeeded, why);
        Assert.Contains(result.Errors, e => e.Row == row + 1 && e.Message.Contains(message));
        Assert.Equal(0, result.Imported);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ImportXlsx_WhenFileIsBad_RefusesWithRowAndChangesNothing(string why, string rows, int row, string message)
    {
        var before = await SnapshotAsync();
        var lines = rows.Split('\n').Select(l => (IReadOnlyList<string>)l.Split(',')).ToList();
        using var stream = new MemoryStream();
        TableFile.WriteXlsx(stream, Header.Split(','), lines);
        stream.Position = 0;
        var result = await _db.AsSystem<ImportUnits>().ImportAsync(stream, "don-vi.xlsx");
        Assert.False(result.Succeeded, why);
        Assert.Contains(result.Errors, e => e.Row == row && e.Message.Contains(message));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Import_WhenFileIsNotASpreadsheet_SaysSoAndChangesNothing()
    {
        var before = await SnapshotAsync();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("MZ this is not a zip"));
        var result = await _db.AsSystem<ImportUnits>().ImportAsync(stream, "don-vi.xlsx");
        Assert.Contains("Không đọc được tệp 'don-vi.xlsx'", Assert.Single(result.Errors).Message);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Import_WhenRequiredColumnIsMissing_NamesTheColumn()
    {
        var result = await ImportCsvAsync("Mã,Tên\nX1,Lạc Đạo\n");
        var e = Assert.Single(result.Errors);
        Assert.Equal(1, e.Row);
        Assert.Contains("'Loại'", e.Message);
    }

    [Fact]
    public async Task Import_WhenExtensionIsUnsupported_SaysWhichAreSupported()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Header));
        var result = await _db.AsSystem<ImportUnits>().ImportAsync(stream, "don-vi.pdf");
        Assert.Contains(".xlsx hoặc .csv", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public async Task ImportXlsx_WhenValid_StoresUnitsParentsAndPredecessors()
    {
        using var stream = new MemoryStream();
        TableFile.WriteXlsx(stream, Header.Split(','),
        [
            ["33-VL-LDA", "Lạc Đạo", "Xã", "33-VL", "", "30/06/2025", "", ""],
            ["33-VL-CDA", "Chỉ Đạo", "Xã", "33-VL", "", "30/06/2025", "", ""],
            ["33-LD", "Lạc Đạo", "Xã", "33", "01/07/2025", "", "33-VL-LDA; 33-VL-CDA", "Sáp nhập"],
        ]);
        stream.Position = 0;
        var result = await _db.AsSystem<ImportUnits>().ImportAsync(stream, "don-vi.xlsx");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(3, result.Imported);

        await using var db = await _db.ContextAsync();
        var merged = await db.Units.Include(u => u.Predecessors).SingleAsync(u => u.Code == "33-LD");
        var province = await db.Units.SingleAsync(u => u.Code == "33");
        Assert.Equal(province.Id, merged.ParentId);
        Assert.Equal("commune", merged.LevelCode);
        Assert.Equal(new DateOnly(2025, 7, 1), merged.ValidFrom);
        var predecessorCodes = await db.Units.Where(u => merged.Predecessors.Select(p => p.PredecessorId).Contains(u.Id)).Select(u => u.Code).OrderBy(c => c).ToListAsync();
        Assert.Equal(["33-VL-CDA", "33-VL-LDA"], predecessorCodes);
    }

    [Fact]
    public async Task ImportCsv_WhenSemicolonSeparatedAndQuoted_ReadsIt()
    {
        var result = await ImportCsvAsync("Mã;Tên;Loại;Mã đơn vị cấp trên\n\"33-VL-X\";\"Xã \"\"Mới\"\"; thử\";Xã;33-VL\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        await using var db = await _db.ContextAsync();
        Assert.Equal("Xã \"Mới\"; thử", (await db.Units.SingleAsync(u => u.Code == "33-VL-X")).Name);
    }

    [Fact]
    public async Task Import_AsProvincialAdmin_AddsUnitsOnlyBelowTheirProvince()
    {
        await using var db = await _db.ContextAsync();
        var hungYen = await db.Units.SingleAsync(u => u.Code == "33");
        var admin = new FixedUnitScope("u1", "quantri.hungyen", false, _db.Get<UnitHierarchy>().Subtree(hungYen.Id),
            new HashSet<string> { Roles.ProvincialAdmin }, HomeUnitId: hungYen.Id);

        var inside = await ImportAsAsync(admin, Header + "\n33-VL-MOI,Xã Mới,Xã,33-VL,,,,\n");
        Assert.True(inside.Succeeded, string.Join("; ", inside.Errors));

        var before = await SnapshotAsync();
        var outside = await ImportAsAsync(admin, Header + "\n34,Thái Bình,Tỉnh,,,,,\n34-TX,Tiền Hải,Huyện,34,,,,\n");
        Assert.Contains(outside.Errors, e => e.Row == 2 && e.Message.Contains("Chỉ quản trị hệ thống được thêm đơn vị cấp tỉnh"));
        Assert.Contains(outside.Errors, e => e.Row == 3);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Import_AsCommuneOfficer_IsRefused()
    {
        var officer = new FixedUnitScope("u2", "xa.lacdao", false, new HashSet<int>(), new HashSet<string> { Roles.CommuneOfficer });
        await Assert.ThrowsAsync<AccessDeniedException>(() => ImportAsAsync(officer, Header + "\n33-VL-X2,Xã X,Xã,33-VL,,,,\n"));
    }

    private async Task<UnitImportResult> ImportAsAsync(IUnitScope scope, string csv)
    {
        await using var s = _db.ScopeAs(scope);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return await s.ServiceProvider.GetRequiredService<ImportUnits>().ImportAsync(stream, "don-vi.csv");
    }

    [Theory]
    [InlineData("X1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"Bấm vào đây\"\")\",Xã,33-VL", "Tên", "=HYPERLINK(")]
    [InlineData("X1,=cmd|' /C calc'!A0,Xã,33-VL", "Tên", "=cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1),Lạc Đạo,Xã,33-VL", "Mã", "@SUM(A1)")]
    [InlineData("X1,+Lạc Đạo,Xã,33-VL", "Tên", "+Lạc Đạo")]
    public async Task ImportCsv_WhenACellStartsLikeAFormula_RefusesNamingRowAndColumnAndChangesNothing(string row, string column, string shown)
    {
        var before = await SnapshotAsync();
        var result = await ImportCsvAsync(Header + "\nOK1,Như Quỳnh,Thị trấn,33-VL\n" + row + "\n");
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Row == 3 && e.Message.Contains($"Cột '{column}'") && e.Message.Contains(shown)
            && e.Message.Contains("công thức bảng tính"));
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ImportXlsx_WhenANameCellHoldsFormulaText_RefusesIt()
    {
        var before = await SnapshotAsync();
        using var stream = new MemoryStream();
        TableFile.WriteXlsx(stream, Header.Split(','), [["X1", "Lạc Đạo", "Xã", "33-VL", "", "", "", ""]]);
        // A crafted file: the text cell itself starts with "=" (TableFile.WriteXlsx would have neutralised it).
        using var xlsx = new Spreadsheets.Xlsx(stream.ToArray(), editable: true);
        xlsx.Set("Dữ liệu", "B2", "=cmd|' /C calc'!A0");
        var bytes = xlsx.Save();
        var result = await _db.AsSystem<ImportUnits>().ImportAsync(new MemoryStream(bytes), "don-vi.xlsx");
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Row == 2 && e.Message.Contains("Cột 'Tên'") && e.Message.Contains("=cmd"));
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task<UnitImportResult> ImportCsvAsync(string csv)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        return await _db.AsSystem<ImportUnits>().ImportAsync(stream, "don-vi.csv");
    }

    private async Task<string> SnapshotAsync()
    {
        await using var db = await _db.ContextAsync();
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Code)
            .Select(u => u.Code + "|" + u.Name + "|" + u.Kind + "|" + u.ParentId + "|" + u.ValidFrom + "|" + u.ValidTo).ToListAsync();
        var preds = await db.Units.AsNoTracking().SelectMany(u => u.Predecessors.Select(p => u.Id + ">" + p.PredecessorId)).OrderBy(x => x).ToListAsync();
        return string.Join("\n", units.Concat(preds));
    }
}
