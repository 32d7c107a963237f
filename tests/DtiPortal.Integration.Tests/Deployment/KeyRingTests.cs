using System.Net;
using System.Text;
using DtiPortal.Application.Data;
using DtiPortal.Integration.Tests.Infrastructure;
using DtiPortal.Web.Deployment;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Deployment;

/// <summary>
/// Issue 8 / ADR-009: the data-protection key ring lives in PostgreSQL, so separate instances (here: separate service
/// providers and separate web hosts on one database) read each other's protected payloads and sign-in cookies.
/// </summary>
public class KeyRingTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private ServiceProvider Instance(string store = "Database") =>
        TestDatabase.BuildServicesWith(db.ConnectionString, s => s.AddDtiKeyRing(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataProtection:Store"] = store }).Build()));

    [Fact]
    public async Task APayloadProtectedByOneInstance_IsUnprotectedByAnother_AndTheKeyIsAStoredRow()
    {
        await using var first = Instance();
        await using var second = Instance();
        var secret = first.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect(Encoding.UTF8.GetBytes("Xã Lạc Đạo"));
        var plain = second.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret);
        Assert.Equal("Xã Lạc Đạo", Encoding.UTF8.GetString(plain));

        await using var owner = db.OwnerContext();
        var rows = await owner.DataProtectionKeys.AsNoTracking().ToListAsync();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.StartsWith("<key ", r.Xml));
        Assert.All(rows, r => Assert.StartsWith("key-", r.FriendlyName));

        // An in-memory key ring (development only) cannot read it: the sharing really goes through the table.
        await using var ephemeral = Instance("None");
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            ephemeral.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
    }

    [Fact]
    public async Task TheSignInFormOfOneWebHost_IsAcceptedByAnother_AndItsCookieByTheFirst()
    {
        await using (var system = db.ScopeAs(DtiPortal.Application.Tenancy.FixedUnitScope.System))
            await system.ServiceProvider.GetRequiredService<DtiPortal.Application.Demo.DemoData>().SeedAsync();
        await using var first = Host();
        await using var second = Host();
        var options = new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false };
        var one = first.CreateClient(options);
        var two = second.CreateClient(options);

        // The form and its antiforgery cookie come from the first host; the second validates them (shared keys).
        var form = await one.GetAsync("/dang-nhap");
        var html = await form.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        var post = new HttpRequestMessage(HttpMethod.Post, "/dang-nhap")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login", ["__RequestVerificationToken"] = token,
                ["Input.UserName"] = "xa.lacdao", ["Input.Password"] = DtiPortal.Application.Demo.DemoUsers.Password,
            }),
        };
        post.Headers.Add("Cookie", CookiesOf(form));
        var signedIn = await two.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var auth = CookiesOf(signedIn).Split("; ").Single(c => c.StartsWith("dti.auth=", StringComparison.Ordinal));

        // The sign-in cookie issued by the second host opens a protected page on the first.
        var page = new HttpRequestMessage(HttpMethod.Get, "/danh-gia");
        page.Headers.Add("Cookie", auth);
        Assert.Equal(HttpStatusCode.OK, (await one.SendAsync(page)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await one.GetAsync("/danh-gia")).StatusCode); // without it: to /dang-nhap
    }

    [Fact]
    public async Task InstancesStartingTogether_WithoutMigrationsOnStart_CreateOneKey()
    {
        var fresh = new TestDatabase();
        await fresh.InitializeAsync();
        try
        {
            WebApplicationFactory<Program> Start() => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
            {
                b.UseSetting("ConnectionStrings:Dti", fresh.ConnectionString);
                b.UseSetting("Database:MigrateOnStartup", "false"); // `dti migrate` deployments
                b.UseSetting("Notifications:IntervalSeconds", "0");
            });
            await using var a = Start();
            await using var b = Start();
            await Task.WhenAll(Task.Run(() => a.CreateClient()), Task.Run(() => b.CreateClient())); // both hosts start at once
            await using var owner = fresh.OwnerContext();
            Assert.Equal(1, await owner.DataProtectionKeys.CountAsync());
        }
        finally { await fresh.DisposeAsync(); }
    }

    private static string CookiesOf(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(c => c.Split(';')[0]) : []);

    private WebApplicationFactory<Program> Host() => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
    {
        b.UseSetting("ConnectionStrings:Dti", db.ConnectionString);
        b.UseSetting("Notifications:IntervalSeconds", "0");
        // A different content root per host would give a different default application name; ours is fixed.
    });
}
