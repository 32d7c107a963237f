using DtiPortal.Application.Audit;
using DtiPortal.Application.Identity;
using Microsoft.AspNetCore.Identity;

namespace DtiPortal.Web.Auth;

public static class AccountEndpoints
{
    /// <summary>POST /dang-xuat (antiforgery-checked form in the header menu).</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/dang-xuat", async (SignInManager<AppUser> signIn, IAuditLog audit, HttpContext http) =>
        {
            var name = http.User.Identity?.Name;
            await signIn.SignOutAsync();
            await audit.WriteAsync(new AuditEvent("SignOut", "AppUser", UserName: name, Detail: "Đăng xuất"));
            return Results.LocalRedirect("/dang-nhap?daDangXuat=1");
        }).RequireAuthorization(AuthPolicies.SignedIn);
    }
}
