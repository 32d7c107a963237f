using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace DtiPortal.Integration.Tests.Web;

/// <summary>
/// Interactive routing enforces only [Authorize]/[AllowAnonymous] attributes, not the endpoint fallback policy:
/// a page without either would stay open after its user is disabled. Every routable page must decide explicitly.
/// </summary>
public class PageAuthorizationTests
{
    [Fact]
    public void EveryRoutablePage_HasAnExplicitAuthorizationAttribute()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>().Any())
            .ToList();
        Assert.NotEmpty(pages);
        var undecided = pages
            .Where(t => !t.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Any() && !t.GetCustomAttributes<AllowAnonymousAttribute>(inherit: true).Any())
            .Select(t => t.FullName)
            .ToList();
        Assert.True(undecided.Count == 0, "Pages without [Authorize] or [AllowAnonymous]: " + string.Join(", ", undecided));
    }

    [Theory]
    [InlineData("/dang-nhap")]
    [InlineData("/dang-nhap/ma-xac-thuc")]
    [InlineData("/truy-cap-bi-tu-choi")]
    [InlineData("/loi")]
    public void AccountAndErrorPages_AreOpenToAnonymousVisitors(string route)
    {
        var page = typeof(Program).Assembly.GetTypes()
            .Single(t => t.GetCustomAttributes<RouteAttribute>().Any(r => r.Template == route));
        Assert.NotNull(page.GetCustomAttribute<AllowAnonymousAttribute>());
    }
}
