namespace DtiPortal.Web.Deployment;

/// <summary>
/// Issue 17: the request that carries a circuit's connection (<c>/_blazor</c>, a WebSocket kept open as long as the page)
/// lives for hours, and with it every scoped service its middleware resolved. Signing the request in resolves Identity's
/// security-stamp validator, and with it the sign-in manager, the user manager, the user store and a database context: about
/// 25 KB per open page that nothing uses after the first milliseconds (the circuit has its own scope; ADR-014).
/// <para>
/// <see cref="Begin"/> (before authentication) lets the middleware run in a scope of its own; <see cref="End"/> (the last
/// middleware before the endpoint) gives the request back its own, empty scope and disposes the middleware's. Authentication,
/// the security-stamp check and authorization are unchanged: they run as for any request, only their services are let go
/// before the connection settles in. A request turned away before the endpoint (401, 503) disposes it on the way out.
/// </para>
/// </summary>
public static class CircuitConnectionScope
{
    private static readonly object Key = new();

    private sealed class Swap(IServiceProvider original, AsyncServiceScope scope)
    {
        public IServiceProvider Original { get; } = original;
        public AsyncServiceScope Scope { get; } = scope;
    }

    /// <summary>The circuit's connection (every transport): not /_blazor/negotiate, /_blazor/disconnect or the initializers.</summary>
    public static bool IsCircuitConnection(HttpRequest request) => request.Path.Equals("/_blazor", StringComparison.OrdinalIgnoreCase);

    public static IApplicationBuilder UseCircuitConnectionScopeBegin(this IApplicationBuilder app) => app.Use(Begin);

    public static IApplicationBuilder UseCircuitConnectionScopeEnd(this IApplicationBuilder app) => app.Use(End);

    private static async Task Begin(HttpContext context, RequestDelegate next)
    {
        if (!IsCircuitConnection(context.Request))
        {
            await next(context);
            return;
        }
        var swap = new Swap(context.RequestServices, context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope());
        context.RequestServices = swap.Scope.ServiceProvider;
        context.Items[Key] = swap;
        try
        {
            await next(context);
        }
        finally
        {
            await ReleaseAsync(context); // turned away before the endpoint: nothing released it yet
        }
    }

    private static async Task End(HttpContext context, RequestDelegate next)
    {
        await ReleaseAsync(context);
        await next(context);
    }

    private static async ValueTask ReleaseAsync(HttpContext context)
    {
        if (context.Items.Remove(Key, out var value) && value is Swap swap)
        {
            context.RequestServices = swap.Original;
            await swap.Scope.DisposeAsync();
        }
    }
}
