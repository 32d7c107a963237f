using Microsoft.JSInterop;

namespace DtiPortal.Integration.Tests.Infrastructure;

/// <summary>
/// A static (prerender) render has no browser: as the framework does while prerendering, a JS call fails. Components that
/// tests render to HTML (MudBlazor's services ask for an <see cref="IJSRuntime"/>) resolve, and a component that needed
/// the browser during that render would fail the test.
/// </summary>
public sealed class StaticRenderJSRuntime : IJSRuntime
{
    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
        throw new InvalidOperationException($"No browser in a static render (JS call '{identifier}').");

    public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) =>
        throw new InvalidOperationException($"No browser in a static render (JS call '{identifier}').");
}
