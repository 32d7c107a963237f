using System.Text;
using System.Text.Json;
using DtiPortal.Application.Evidence;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DtiPortal.Web.Deployment;

/// <summary>
/// This instance's name (configuration <c>Instance:Name</c>; default the machine name and the port it listens on), shown
/// by the health endpoints so an operator, a load balancer or the cluster test can tell instances apart.
/// </summary>
public sealed class InstanceInfo(IConfiguration configuration, IServer server)
{
    private string? _name;

    public string Name => _name ??= configuration["Instance:Name"] is { Length: > 0 } name ? name : DefaultName();

    private string DefaultName()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var port = address is not null && Uri.TryCreate(address.Replace("*", "localhost").Replace("+", "localhost"), UriKind.Absolute, out var uri) ? uri.Port.ToString() : Environment.ProcessId.ToString();
        return $"{Environment.MachineName}:{port}";
    }
}

/// <summary>Unhealthy as soon as the host starts stopping, so a load balancer stops sending new users here (draining).</summary>
public sealed class ShutdownHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("Đang dừng / shutting down")
            : HealthCheckResult.Healthy("Đang chạy"));
}

/// <summary>Healthy when a small file can be written to the evidence store, read back and removed (directory or S3).</summary>
public sealed class EvidenceStoreHealthCheck(IEvidenceStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var key = EvidenceKeys.TemporaryPrefix + "health-" + Guid.NewGuid().ToString("N");
        var payload = Encoding.UTF8.GetBytes("dti-health " + DateTimeOffset.UtcNow.ToString("O"));
        try
        {
            await store.WriteAsync(key, new MemoryStream(payload), ct);
            await using var read = await store.OpenReadAsync(key, ct);
            if (read is null) return HealthCheckResult.Unhealthy("Kho minh chứng không đọc lại được tệp vừa ghi");
            using var copy = new MemoryStream();
            await read.CopyToAsync(copy, ct);
            return copy.ToArray().AsSpan().SequenceEqual(payload)
                ? HealthCheckResult.Healthy("Kho minh chứng ghi/đọc được")
                : HealthCheckResult.Unhealthy("Kho minh chứng trả về nội dung khác");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Không ghi/đọc được kho minh chứng", ex);
        }
        finally
        {
            try { await store.DeleteAsync(key, CancellationToken.None); } catch { /* reported above if the store is broken */ }
        }
    }
}

/// <summary>
/// On shutdown, keeps serving for <c>Health:DrainSeconds</c> (default 0) while /health/ready already answers 503, so an
/// active load balancer (Kubernetes readiness probe) takes the instance out before it stops. Registered before the
/// web server stops: hosted services stop in reverse order, and the server is the first one registered.
/// </summary>
public sealed class DrainOnShutdown(IConfiguration configuration, ILogger<DrainOnShutdown> logger) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken ct)
    {
        var seconds = Math.Max(0, configuration.GetValue("Health:DrainSeconds", 0));
        if (seconds == 0) return;
        logger.LogInformation("Draining for {Seconds} s: /health/ready answers 503", seconds);
        try { await Task.Delay(TimeSpan.FromSeconds(seconds), ct); } catch (OperationCanceledException) { }
    }
}

public static class InstanceHealth
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddDtiInstanceHealth(this IServiceCollection services, IHealthChecksBuilder checks)
    {
        services.AddSingleton<InstanceInfo>();
        services.AddHostedService<DrainOnShutdown>();
        checks.AddCheck<EvidenceStoreHealthCheck>("evidence", tags: [ReadyTag])
              .AddCheck<ShutdownHealthCheck>("lifetime", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// /health/live: the process answers (no database; restart it when this fails). /health/ready: database, evidence
    /// store and not shutting down (take it out of rotation when this fails). Both anonymous, never cached.
    /// </summary>
    public static void MapDtiInstanceHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var instance = context.RequestServices.GetRequiredService<InstanceInfo>().Name;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Dti-Instance"] = instance;
        var body = new
        {
            status = report.Status.ToString(),
            instance,
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, new JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }
}
