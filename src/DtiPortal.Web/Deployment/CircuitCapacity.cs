using System.Net;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace DtiPortal.Web.Deployment;

/// <summary>
/// Issue 17: past capacity, a new visitor is turned away instead of everyone slowing down. Every circuit counts from the
/// moment it opens until it is closed (a disconnected circuit the server still keeps counts too: it holds its memory).
/// When <c>Capacity:MaxCircuits</c> circuits are open (0, the default: no limit), a request for an interactive page —
/// the only kind that would open another circuit — gets the Vietnamese overload page with HTTP 503 and Retry-After
/// (<c>Capacity:RetryAfterSeconds</c>, default 30); open circuits, static pages (sign-in, public results), files and the
/// health endpoints keep working. Behind nginx, the next instance may serve the visitor (deploy/README.md).
/// </summary>
public sealed class CircuitCapacity(IConfiguration configuration)
{
    private int _open;

    public int MaxCircuits { get; } = Math.Max(0, configuration.GetValue("Capacity:MaxCircuits", 0));
    public int RetryAfterSeconds { get; } = Math.Max(1, configuration.GetValue("Capacity:RetryAfterSeconds", 30));
    public int Open => Volatile.Read(ref _open);
    public bool Full => MaxCircuits > 0 && Open >= MaxCircuits;

    internal void Opened() => Interlocked.Increment(ref _open);
    internal void Closed() => Interlocked.Decrement(ref _open);

    public const string Message = "Hệ thống đang quá tải, vui lòng thử lại sau";
}

/// <summary>Counts this instance's circuits for <see cref="CircuitCapacity"/>.</summary>
public sealed class CapacityCircuitHandler(CircuitCapacity capacity) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        capacity.Opened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        capacity.Closed();
        return Task.CompletedTask;
    }
}

/// <summary>Answers 503 with the overload page for interactive pages while <see cref="CircuitCapacity.Full"/>.</summary>
public sealed class CircuitCapacityMiddleware(RequestDelegate next, CircuitCapacity capacity, ILogger<CircuitCapacityMiddleware> log)
{
    private static readonly byte[] Page = System.Text.Encoding.UTF8.GetBytes($$"""
        <!DOCTYPE html>
        <html lang="vi">
        <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <title>{{CircuitCapacity.Message}} – DtiPortal</title>
            <style>
                body { font-family: "Noto Sans", Roboto, Arial, sans-serif; color: #1f2937; margin: 0; padding: 3rem 1.5rem; }
                main { max-width: 36rem; margin: 0 auto; }
                h1 { font-size: 1.5rem; color: #0b4f8a; }
                a { color: #0b4f8a; text-decoration: underline; }
            </style>
        </head>
        <body>
            <main>
                <h1 data-testid="overload-title">{{CircuitCapacity.Message}}</h1>
                <p>Có quá nhiều người đang làm việc trên cổng đánh giá chuyển đổi số cùng lúc. Những người đang mở trang vẫn tiếp tục
                   làm việc bình thường; để giữ cho họ không bị chậm, hệ thống tạm thời chưa mở thêm trang mới.</p>
                <p>Vui lòng đợi khoảng một phút rồi <a href="" data-testid="overload-retry">tải lại trang</a>. Số liệu bạn đã lưu trước đó không bị mất.</p>
            </main>
        </body>
        </html>
        """);

    public async Task InvokeAsync(HttpContext context)
    {
        if (capacity.Full && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null && context.AcceptsInteractiveRouting())
        {
            log.LogWarning("Overloaded: {Open} circuits open (limit {Max}); {Path} answered 503", capacity.Open, capacity.MaxCircuits, context.Request.Path);
            context.Response.StatusCode = (int)HttpStatusCode.ServiceUnavailable;
            context.Response.Headers.RetryAfter = capacity.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentType = "text/html; charset=utf-8";
            if (HttpMethods.IsGet(context.Request.Method)) await context.Response.Body.WriteAsync(Page, context.RequestAborted);
            return;
        }
        await next(context);
    }
}

public static class CircuitCapacityExtensions
{
    public static IServiceCollection AddDtiCircuitCapacity(this IServiceCollection services)
    {
        services.AddSingleton<CircuitCapacity>();
        services.AddScoped<CircuitHandler, CapacityCircuitHandler>();
        return services;
    }
}
