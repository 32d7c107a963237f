using DtiPortal.Application.Audit;
using DtiPortal.Application.Identity;
using Microsoft.AspNetCore.Antiforgery;
using DtiPortal.Web.Api;
using Microsoft.AspNetCore.Identity;

namespace DtiPortal.Web.Auth;

public static class AccountEndpoints
{
    /// <summary>POST /dang-xuat (antiforgery-checked form in the header menu).</summary>
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/dang-xuat", async (SignInManager<AppUser> signIn, IAuditLog audit, IAntiforgery antiforgery, HttpContext http) =>
        {
            // The endpoint binds no form field, so the framework's automatic antiforgery check does not apply: without this a
            // cross-site form (or any request carrying only the cookie) could end the user's session.
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                await audit.RefusedAsync("Đăng xuất", "thiếu hoặc sai mã chống giả mạo yêu cầu", entityType: "AppUser");
                return Results.Text("Yêu cầu đăng xuất không hợp lệ (thiếu mã chống giả mạo). Hãy tải lại trang rồi bấm Đăng xuất.",
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
            }
            var name = http.User.Identity?.Name;
            await signIn.SignOutAsync();
            await audit.WriteAsync(new AuditEvent("SignOut", "AppUser", UserName: name, Detail: "Đăng xuất"));
            return Results.LocalRedirect("/dang-nhap?daDangXuat=1");
        }).RequireAuthorization(AuthPolicies.SignedIn).DisableAntiforgery().AuditRefusals(); // checked above, with a message and an audit row
    }
}
