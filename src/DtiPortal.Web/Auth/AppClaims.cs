using System.Security.Claims;
using DtiPortal.Application.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace DtiPortal.Web.Auth;

public static class AppClaims
{
    public const string UnitId = "dti:unit";
    public const string FullName = "dti:name";
    /// <summary>Present while a privileged user must still set up an authenticator app (issue 3 §1).</summary>
    public const string TwoFactorSetupRequired = "dti:2fa-setup";
}

/// <summary>Adds the user's unit and full name to the cookie's claims (roles are added by Identity).</summary>
public sealed class AppClaimsFactory(UserManager<AppUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AppClaims.UnitId, user.UnitId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(AppClaims.FullName, user.FullName));
        return identity;
    }
}

/// <summary>Refuses sign-in for disabled accounts (Identity has no such flag of its own).</summary>
public sealed class AppSignInManager(
    UserManager<AppUser> userManager, IHttpContextAccessor contextAccessor, IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor, ILogger<SignInManager<AppUser>> logger, Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) => !user.IsDisabled && await base.CanSignInAsync(user);
}
