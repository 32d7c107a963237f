using System.Diagnostics;
using DtiPortal.Integration.Tests.Infrastructure;

namespace DtiPortal.Integration.Tests.Cli;

/// <summary>The `dti` tool as an operator runs it: a separate process, configured through the environment.</summary>
public class DtiCommandTests : IClassFixture<TestDatabase>
{
    private readonly TestDatabase _db;

    public DtiCommandTests(TestDatabase db) => _db = db;

    [Fact]
    public async Task UnitsImport_WhenFileHasErrors_ExitsWithOneAndPrintsEachRow()
    {
        var file = Path.Combine(Path.GetTempPath(), $"don-vi-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "Mã,Tên,Loại,Mã đơn vị cấp trên\nT1,Tỉnh Một,Tỉnh,\nX1,,Xã,T1\nX2,Xã Hai,Xã,ZZ\n");
        try
        {
            var (code, stdout, stderr) = await RunAsync("units", "import", file);
            Assert.Equal(1, code);
            Assert.Contains("Không nhập đơn vị nào", stderr);
            Assert.Contains("Dòng 3: Tên đơn vị 'X1' đang để trống.", stderr);
            Assert.Contains("Dòng 4: Không tìm thấy đơn vị cấp trên có mã 'ZZ'", stderr);
            Assert.DoesNotContain("Đã nhập", stdout);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task MigrateThenDemoSeed_Succeeds_AndSeedIsIdempotent()
    {
        Assert.Equal(0, (await RunAsync("migrate")).Code);
        var first = await RunAsync("demo", "seed");
        var second = await RunAsync("demo", "seed");
        Assert.Equal(0, first.Code);
        Assert.Contains("đơn vị mẫu", first.Stdout);
        Assert.Contains("Dữ liệu mẫu đã có sẵn", second.Stdout);
    }

    [Fact]
    public async Task Migrate_WithoutConnectionString_ExplainsWhatToSet()
    {
        var (code, _, stderr) = await RunWithAsync(null, "migrate");
        Assert.Equal(1, code);
        Assert.Contains("ConnectionStrings__Dti", stderr);
    }

    private Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => RunWithAsync(_db.ConnectionString, args);

    private static Task<(int Code, string Stdout, string Stderr)> RunWithAsync(string? connectionString, params string[] args) =>
        DtiProcess.RunAsync(connectionString, args);
}
