using DtiPortal.Application.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace DtiPortal.Web.Auth;

/// <summary>Issue 3 §4: a signed-in user refused a page or endpoint over HTTP is written to the audit trail.</summary>
public sealed class AuditingAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        // A pending two-factor set-up is a redirect to the set-up page, not a refusal worth recording.
        if (result.Forbidden && !context.User.HasClaim(c => c.Type == AppClaims.TwoFactorSetupRequired))
        {
            var audit = context.RequestServices.GetRequiredService<IAuditLog>();
            await audit.RefusedAsync($"Mở trang {context.Request.Path}", "không có quyền");
        }
        await _default.HandleAsync(next, context, policy, result);
    }
}
