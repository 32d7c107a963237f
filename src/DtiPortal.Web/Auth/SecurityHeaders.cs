namespace DtiPortal.Web.Auth;

/// <summary>
/// Issue 3 §5: a Content-Security-Policy with frame-ancestors, no sniffing, no referrer leaks; and the Origin of
/// the Blazor hub's requests must be this site (a page elsewhere cannot drive a user's circuit).
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, IConfiguration configuration)
{
    // MudBlazor and Blazor set inline style attributes, hence 'unsafe-inline' for styles only; scripts are files.
    private const string Csp = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
                               "font-src 'self' data:; connect-src 'self' ws: wss:; frame-src 'self'; object-src 'none'; " +
                               "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private readonly string[] _allowedOrigins = configuration.GetSection("Security:AllowedOrigins").Get<string[]>() ?? [];

    public async Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Csp;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";

        if (context.Request.Path.StartsWithSegments("/_blazor") && !OriginAllowed(context))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("Nguồn yêu cầu không được phép.");
            return;
        }
        await next(context);
    }

    private bool OriginAllowed(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin)) return true; // same-origin fetches of some browsers, and non-browser clients
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return false;
        var host = context.Request.Host;
        var sameHost = string.Equals(uri.Authority, host.Value, StringComparison.OrdinalIgnoreCase);
        return sameHost || _allowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }
}
