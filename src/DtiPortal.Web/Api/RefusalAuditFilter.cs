using DtiPortal.Application.Audit;

namespace DtiPortal.Web.Api;

/// <summary>Endpoint metadata: this endpoint's refusals reach the audit trail (checked for every endpoint by a test).</summary>
public sealed class AuditsRefusals;

/// <summary>
/// Issue 16 §1: every 4xx answer of an endpoint (a 404 for another unit's evidence, a refused upload, a missing antiforgery
/// token) is a refusal and is written to the audit trail through <see cref="Refusals"/>, unless the use case below already
/// wrote it (its guard, say). So a sweep over evidence ids leaves one row per attempt, as a denied page does.
/// </summary>
public sealed class RefusalAuditFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        using var tracker = Refusals.Track();
        var result = await next(context);
        if (tracker.Recorded == 0 && result is IStatusCodeHttpResult { StatusCode: >= 400 and < 500 and not StatusCodes.Status401Unauthorized } refused)
        {
            var http = context.HttpContext;
            var reason = result is IValueHttpResult { Value: { } value } && value.GetType().GetProperty("error")?.GetValue(value) is string error
                ? error : $"mã trả về {refused.StatusCode}";
            await http.RequestServices.GetRequiredService<IAuditLog>()
                .RefusedAsync($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}", reason, ct: CancellationToken.None);
        }
        return result;
    }
}

public static class RefusalAuditExtensions
{
    /// <summary>Audits the refusals of every endpoint of the group (or of one endpoint).</summary>
    public static TBuilder AuditRefusals<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new RefusalAuditFilter()).WithMetadata(new AuditsRefusals());
}
