using System.Collections;
using System.Resources;
using DtiPortal.Web.Components.Theme;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;

namespace DtiPortal.Web.Tests.Theme;

public sealed class VietnameseMudLocalizationTests
{
    private static IReadOnlyList<string> MudBlazorKeys()
    {
        var assembly = typeof(MudButton).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("LanguageResource.resources", StringComparison.Ordinal));
        using var reader = new ResourceReader(assembly.GetManifestResourceStream(name)!);
        return reader.Cast<DictionaryEntry>().Select(e => (string)e.Key).Order().ToList();
    }

    [Fact]
    public void Texts_WhenMudBlazorIsUpgraded_CoverEveryKeyOfItsLanguageResource()
    {
        var keys = MudBlazorKeys();
        Assert.True(keys.Count > 100, "MudBlazor's language resource was not found");
        var missing = keys.Where(k => !VietnameseMudLocalization.Texts.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "No Vietnamese text for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Handle_WithArguments_FormatsTheVietnameseText()
    {
        var localization = new VietnameseMudLocalization(NullLoggerFactory.Instance);
        Assert.Equal("1–10 trên 1.234", localization.Handle("MudDataGridPager_InfoFormat", 1, 10, "1.234").Value);
        Assert.Equal("Trang sau", localization.Handle("MudTablePager_NextPage").Value);
    }

    [Fact]
    public async Task Pager_RenderedWithThePortalServices_ShowsVietnamese()
    {
        await using var ctx = PortalTestContext.Create();
        var cut = ctx.Render<PagedTable>();
        Assert.Contains("Số dòng mỗi trang", cut.Markup);
        Assert.DoesNotContain("Rows per page", cut.Markup);
    }
}
