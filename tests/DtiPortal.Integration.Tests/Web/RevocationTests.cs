using System.Diagnostics;
using System.Net;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Identity;
using DtiPortal.Integration.Tests.Evidence;
using DtiPortal.Web.Auth;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Web;

/// <summary>
/// Issue 16 §6: after an admin disables a user on one instance, the user's cookie stops working on another instance within
/// 5 seconds, and an open page's revalidation (every 2 s) fails within the same time.
/// </summary>
public class RevocationTests(EvidenceWebFixture fx) : IClassFixture<EvidenceWebFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task DisablingOnAnotherInstance_EndsTheCookieSessionWithinFiveSeconds()
    {
        var userName = "xa.thuhoi." + Guid.NewGuid().ToString("N")[..6];
        var userId = await CreateOfficerAsync(userName);
        var (client, _) = await fx.SignInAsync(userName);
        // Signed in: an evidence id that does not exist is a 404; once the session is gone, a 401.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/bang-chung/999999")).StatusCode);

        // A second instance of the app on the same database: the admin's action happens there.
        await using var other = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Dti", fx.Db.ConnectionString);
            b.UseSetting("Evidence:Directory", fx.StorageRoot);
        });
        await using (var scope = other.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem();
            await scope.ServiceProvider.GetRequiredService<SetDisabled>().HandleAsync(userId, true);
        }

        var watch = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await client.GetAsync("/api/bang-chung/999999")).StatusCode;
            if (status == HttpStatusCode.Unauthorized) break;
            await Task.Delay(200);
        }
        while (watch.Elapsed < TimeSpan.FromSeconds(15));
        watch.Stop();
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(watch.Elapsed <= Limit, $"the disabled user's cookie still worked for {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/bang-chung/999999")).StatusCode); // and stays out
    }

    [Fact]
    public async Task OpenCircuit_RevalidatesEveryTwoSeconds_AndFailsWithinFiveSecondsOfARoleChange()
    {
        var userName = "xa.mach." + Guid.NewGuid().ToString("N")[..6];
        var userId = await CreateOfficerAsync(userName);
        System.Security.Claims.ClaimsPrincipal principal;
        await using (var scope = fx.Factory.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
            var user = (await signIn.UserManager.FindByIdAsync(userId))!;
            principal = await signIn.CreateUserPrincipalAsync(user);
        }
        var revocation = fx.Factory.Services.GetRequiredService<SessionRevocation>();
        Assert.True(await revocation.IsValidAsync(principal));

        await using (var scope = fx.Factory.Services.CreateAsyncScope())
        {
            var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
            var interval = (TimeSpan)provider.GetType().GetProperty("RevalidationInterval",
                System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(provider)!;
            Assert.True(interval <= TimeSpan.FromSeconds(2), $"open pages re-check every {interval.TotalSeconds} s");
        }

        // The stamp changes in the database (as SetRoles does on any instance).
        await using (var owner = fx.Db.OwnerContext())
            await owner.Database.ExecuteSqlInterpolatedAsync($"update \"AspNetUsers\" set \"SecurityStamp\" = {Guid.NewGuid().ToString("N")} where \"Id\" = {userId}");
        var watch = Stopwatch.StartNew();
        while (await revocation.IsValidAsync(principal) && watch.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(100);
        Assert.True(watch.Elapsed + TimeSpan.FromSeconds(2) <= Limit, $"revoked after {watch.Elapsed.TotalSeconds:F1} s (+ up to 2 s until the circuit asks)");
    }

    [Fact]
    public async Task OwnStampChange_WithTheReissuedCookie_StaysValid_AndTheOldCookieDoesNot()
    {
        var userId = await CreateOfficerAsync("xa.tumoi." + Guid.NewGuid().ToString("N")[..6]);
        var revocation = fx.Factory.Services.GetRequiredService<SessionRevocation>();
        await using var scope = fx.Factory.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        var before = await signIn.CreateUserPrincipalAsync((await signIn.UserManager.FindByIdAsync(userId))!);
        Assert.True(await revocation.IsValidAsync(before)); // the old stamp is now cached

        // Turning on two-factor (or a new password) changes the stamp and re-issues the user's cookie in the same request.
        var user = (await signIn.UserManager.FindByIdAsync(userId))!;
        Assert.True((await signIn.UserManager.UpdateSecurityStampAsync(user)).Succeeded);
        var after = await signIn.CreateUserPrincipalAsync(user);

        Assert.True(await revocation.IsValidAsync(after)); // at once, although the cache held the old stamp
        Assert.False(await revocation.IsValidAsync(before));
    }

    private async Task<string> CreateOfficerAsync(string userName)
    {
        await using var scope = fx.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        await using var owner = fx.Db.OwnerContext();
        var unitId = await owner.Units.Where(u => u.Code == "33-VL-NQU").Select(u => u.Id).SingleAsync();
        var user = new AppUser { UserName = userName, FullName = "Cán bộ thử thu hồi", UnitId = unitId, LockoutEnabled = true, CreatedAt = DateTimeOffset.UtcNow };
        Assert.True((await users.CreateAsync(user, DemoUsers.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.CommuneOfficer)).Succeeded);
        return user.Id;
    }
}
