using System.Reflection;
using DtiPortal.Application.PublicResults;
using DtiPortal.Web.Features.Public;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Integration.Tests.PublicResults;

/// <summary>The public pages are open to everyone and static (no circuit), and their cached row markup is encoded.</summary>
public class PublicPagesTests
{
    [Theory]
    [InlineData("/ket-qua")]
    [InlineData("/ket-qua/{RoundId:int}")]
    [InlineData("/ket-qua/{RoundId:int}/{AssessmentId:int}")]
    [InlineData("/ket-qua/toan-quoc/{Year:int}/{VersionId:int}")]
    public void PublicPage_IsAnonymous_AndServerRenderedWithoutACircuit(string route)
    {
        var page = typeof(Program).Assembly.GetTypes().Single(t => t.GetCustomAttributes<RouteAttribute>().Any(r => r.Template == route));
        Assert.NotNull(page.GetCustomAttribute<AllowAnonymousAttribute>());
        Assert.Null(page.GetCustomAttribute<AuthorizeAttribute>());
        Assert.NotNull(page.GetCustomAttribute<ExcludeFromInteractiveRoutingAttribute>());
    }

    [Fact]
    public void RankingMarkup_EncodesNames_KeepsVietnameseLetters_AndShowsOnlyTheAskedRows()
    {
        var scale = new RankingScale(false, 1000, [new MainIndex("1", "Nhận thức số", 100)], []);
        var ranking = PublicRanking.Build(scale,
        [
            new RankingInput(1, 7, 11, "Xã <b>Lạc</b> \"Đạo\" & co", 3, "Huyện Văn Lâm", 2, "Tỉnh Hưng Yên", 812.5m, null, [72.25m]),
            new RankingInput(2, 7, 12, "Xã Như Quỳnh", 3, "Huyện Văn Lâm", 2, "Tỉnh Hưng Yên", 700m, null, [null]),
        ], filterByProvince: false);
        var markup = RankingMarkup.For(ranking, showProvince: false);

        var all = markup.Rows(ranking.Rows, ranking.Rows.Count).Value;
        Assert.Contains("Xã &lt;b&gt;Lạc&lt;/b&gt; &quot;Đạo&quot; &amp; co", all);
        Assert.DoesNotContain("<b>", all);
        Assert.Contains("<th scope=\"row\"><a href=\"/ket-qua/7/1\">", all);
        Assert.Contains("<td class=\"t\">Huyện Văn Lâm</td><td class=\"s\">812,5</td><td>72,25</td></tr>", all);
        Assert.Contains("<td>—</td>", all); // no stored value for that index
        var one = markup.Rows([ranking.Rows[1]], ranking.Rows.Count).Value;
        Assert.Contains("Xã Như Quỳnh", one);
        Assert.DoesNotContain("Lạc", one);
        Assert.Same(markup, RankingMarkup.For(ranking, showProvince: false)); // built once per ranking
    }
}
