using DtiPortal.Application.Data;
using DtiPortal.Application.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Demo;

/// <summary>
/// Demo data, marked as such (is_demo): the provinces and districts the seeds name (Bắc Giang/Sơn Động,
/// Gia Lai/Chư Prông, Hưng Yên/Văn Lâm with Lạc Đạo) with a handful of communes each, as they were until
/// 30/6/2025, and the two-tier tree from 1/7/2025 with merged communes that record their predecessors.
/// Codes are illustrative (province codes are the official ones; lower codes are not GSO codes).
/// Loaded through the ordinary import, so the demo file is also a worked example of the import format.
/// </summary>
public sealed class DemoData(IDbContextFactory<DtiDbContext> dbFactory, ImportUnits importUnits, DemoUsers demoUsers, DemoAssessments demoAssessments)
{
    public const string MarkerCode = "33-VL-LDA";

    /// <summary>Loads the demo units, demo accounts and demo rounds unless they are already there. Returns how many units were added.</summary>
    public async Task<int> SeedAsync(CancellationToken ct = default)
    {
        var added = await SeedUnitsAsync(ct);
        await demoUsers.SeedAsync(ct);
        await demoAssessments.SeedAsync(ct); // rounds and figures (issue 5); needs the built-in sets, which it registers
        return added;
    }

    private async Task<int> SeedUnitsAsync(CancellationToken ct)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Units.AnyAsync(u => u.Code == MarkerCode, ct)) return 0;
        }
        await using var stream = typeof(DemoData).Assembly.GetManifestResourceStream("DtiPortal.Demo.demo-units.csv")
            ?? throw new InvalidOperationException("demo-units.csv is not embedded");
        var result = await importUnits.ImportAsync(stream, "demo-units.csv", isDemo: true, ct);
        if (!result.Succeeded)
            throw new InvalidOperationException("Dữ liệu mẫu không hợp lệ: " + string.Join("; ", result.Errors));
        return result.Imported;
    }
}
