using System.Text.Json;
using DtiPortal.Application.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DtiPortal.Web.Health;

/// <summary>Healthy when PostgreSQL answers and no migration is pending.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<DtiDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.Database.CanConnectAsync(ct))
                return HealthCheckResult.Unhealthy("Không kết nối được cơ sở dữ liệu");
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy("Cơ sở dữ liệu sẵn sàng")
                : HealthCheckResult.Degraded($"Còn {pending} migration chưa áp dụng");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Lỗi cơ sở dữ liệu", ex);
        }
    }
}

public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, new JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }
}
