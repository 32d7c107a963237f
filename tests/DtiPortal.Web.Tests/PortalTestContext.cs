using DtiPortal.Web.Components.Theme;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace DtiPortal.Web.Tests;

/// <summary>
/// A bUnit context with the portal's MudBlazor services and Vietnamese texts, as Program.cs registers them.
/// Dispose it with <c>await using</c>: MudBlazor's services are only asynchronously disposable.
/// </summary>
public static class PortalTestContext
{
    public static BunitContext Create()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalizationInterceptor<VietnameseMudLocalization>();
        return ctx;
    }
}
