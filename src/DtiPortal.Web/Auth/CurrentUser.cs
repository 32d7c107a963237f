using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace DtiPortal.Web.Auth;

/// <summary>
/// The signed-in user of this DI scope: set from HttpContext.User for each HTTP request (middleware) and from the
/// authentication state for a Blazor circuit (<see cref="CurrentUserCircuitHandler"/>), which also follows
/// revalidation — so a disabled user's scope empties in an open page.
/// </summary>
public sealed class CurrentUser
{
    public ClaimsPrincipal Principal { get; private set; } = new(new ClaimsIdentity());
    public string? Origin { get; private set; }

    /// <summary>True only in scopes the app creates for its own work at start-up (seeding), never for a request or circuit.</summary>
    public bool IsSystem { get; private set; }

    public void ActAsSystem() => IsSystem = true;

    public void Set(ClaimsPrincipal principal, string? origin = null)
    {
        Principal = principal;
        if (origin is not null) Origin = origin;
    }
}

public sealed class CurrentUserCircuitHandler(AuthenticationStateProvider auth, CurrentUser current) : CircuitHandler, IDisposable
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken ct)
    {
        auth.AuthenticationStateChanged += OnChanged;
        return base.OnCircuitOpenedAsync(circuit, ct);
    }

    public override async Task OnConnectionUpAsync(Circuit circuit, CancellationToken ct)
    {
        current.Set((await auth.GetAuthenticationStateAsync()).User);
        await base.OnConnectionUpAsync(circuit, ct);
    }

    private void OnChanged(Task<AuthenticationState> task) =>
        _ = task.ContinueWith(t => { if (t.IsCompletedSuccessfully) current.Set(t.Result.User); }, TaskScheduler.Default);

    public void Dispose() => auth.AuthenticationStateChanged -= OnChanged;
}

public sealed class CurrentUserMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, CurrentUser current)
    {
        current.Set(context.User, context.Connection.RemoteIpAddress?.ToString());
        return next(context);
    }
}
