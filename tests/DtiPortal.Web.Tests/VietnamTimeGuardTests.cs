using System.Text.RegularExpressions;

namespace DtiPortal.Web.Tests;

/// <summary>
/// Vietnam time is written once (Domain/VietnamTime.cs). Files that still spell the offset themselves are listed here
/// until they move; the list may only shrink: a new spelling anywhere else fails.
/// </summary>
public sealed partial class VietnamTimeGuardTests
{
    private static readonly string[] NotYetMoved =
    [
        "DtiPortal.Application/Notifications/NotificationText.cs",
        "DtiPortal.Application/Spreadsheets/SpreadsheetText.cs",
        "DtiPortal.Application/Reporting/DashboardMath.cs",
        "DtiPortal.Application/Audit/AuditQueries.cs",
        "DtiPortal.Web/Documents/DocumentText.cs",
        "DtiPortal.Web/Features/Admin/Users/UserStatus.cs",
        "DtiPortal.Web/Features/Admin/Users/UserDetailPage.razor",
        "DtiPortal.Web/Features/Admin/Audit/AuditLogPage.razor",
        "DtiPortal.Web/Features/Notifications/InboxPage.razor",
        "DtiPortal.Web/Features/Public/PublicText.cs",
        "DtiPortal.Web/Features/Criteria/CriteriaSetsPage.razor",
    ];

    [GeneratedRegex(@"FromHours\(\s*7\s*\)|AddHours\(\s*7\s*\)|Asia/Ho_Chi_Minh|SE Asia Standard Time")]
    private static partial Regex VietnamOffset();

    [Fact]
    public void Src_SpellsTheVietnamOffsetOnlyInVietnamTime()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var offenders = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(src, f).Replace('\\', '/'))
            .Where(f => f != "DtiPortal.Domain/VietnamTime.cs" && !NotYetMoved.Contains(f))
            .Where(f => VietnamOffset().IsMatch(File.ReadAllText(Path.Combine(src, f))))
            .ToList();
        Assert.True(offenders.Count == 0, "Use DtiPortal.Domain.VietnamTime instead of spelling UTC+7 in: " + string.Join(", ", offenders));
    }

    [Fact]
    public void VietnamTime_PrintsTheMomentOnVietnamsClock()
    {
        var at = new DateTimeOffset(2026, 12, 31, 18, 30, 0, TimeSpan.Zero); // 01:30 on 1 January in Vietnam
        Assert.Equal("01:30 01/01/2027", Domain.VietnamTime.DateTime(at));
        Assert.Equal(new DateOnly(2027, 1, 1), Domain.VietnamTime.Today(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(at)));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "DtiPortal.sln"))) return dir.FullName;
        throw new InvalidOperationException("DtiPortal.sln not found above " + AppContext.BaseDirectory);
    }
}
