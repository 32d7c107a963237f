using System.Reflection;
using DtiPortal.Application.PublicResults;
using DtiPortal.Web.Features.Public;
using Microsoft.AspNetCore.Authorization;
using DtiPortal.Application;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

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

/// <summary>
/// The web wiring of the public pages (Program.cs: AddPublicResultsPages + UseOutputCache): a publication evicts the rendered
/// pages with the data, and the public pages' antiforgery token comes without a cookie (so a cached page never hands one
/// visitor's cookie to the next) while every other page keeps the framework's behaviour.
/// </summary>
public class PublicPagesWiringTests
{
    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDtiApplication("Host=127.0.0.1;Database=unused"); // no connection is opened

        services.AddPublicResultsPages();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Invalidate_EvictsTheRenderedPublicPages_AndTheData()
    {
        await using var sp = Services();
        var store = sp.GetRequiredService<IOutputCacheStore>();
        await store.SetAsync("page", [1, 2, 3], [PublicResultsPages.Tag], TimeSpan.FromMinutes(5), default);
        await store.SetAsync("other", [4], ["another-tag"], TimeSpan.FromMinutes(5), default);
        var data = sp.GetRequiredService<PublicResultsCache>();
        var generation = data.Generation;

        sp.GetRequiredService<IPublicResultsCache>().Invalidate(42);

        Assert.Null(await store.GetAsync("page", default));
        Assert.NotNull(await store.GetAsync("other", default));
        Assert.Equal(generation + 1, data.Generation);
    }

    [Fact]
    public void Antiforgery_OnAPublicPage_IssuesNoCookie_ElsewhereAsBefore()
    {
        using var sp = Services();
        var antiforgery = sp.GetRequiredService<IAntiforgery>();

        DefaultHttpContext Request(params object[] metadata)
        {
            var context = new DefaultHttpContext { RequestServices = sp };
            context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(metadata), "page"));
            return context;
        }

        var publicPage = Request(new OutputCacheAttribute { PolicyName = PublicResultsPages.Policy });
        Assert.NotNull(antiforgery.GetAndStoreTokens(publicPage).RequestToken);
        Assert.True(StringValues.IsNullOrEmpty(publicPage.Response.Headers.SetCookie));

        var signInPage = Request();
        antiforgery.GetAndStoreTokens(signInPage);
        Assert.False(StringValues.IsNullOrEmpty(signInPage.Response.Headers.SetCookie));
    }
}
