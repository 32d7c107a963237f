using DtiPortal.Application;
using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Web.Api;
using DtiPortal.Web.Auth;
using DtiPortal.Web.Components;
using DtiPortal.Web.Documents;
using DtiPortal.Web.Features.Public;
using DtiPortal.Web.Deployment;
using DtiPortal.Web.Health;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using MudBlazor;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);
// Issue 8: a production machine refuses to start, in Vietnamese and English, while a required setting is missing (deploy/README.md).
if (!StartupConfiguration.Check(builder.Configuration, builder.Environment, Console.Error))
{
    Environment.ExitCode = StartupConfiguration.ExitCode;
    return;
}

// Structured logs: the built-in JSON console formatter (Serilog is not on the package feed).
builder.Logging.ClearProviders();
builder.Logging.AddJsonConsole(o =>
{
    o.IncludeScopes = true;
    o.UseUtcTimestamp = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
});

var connectionString = Database.ConnectionString(builder.Configuration);
builder.Services.AddDtiApplication(connectionString);
builder.Services.AddRazorComponents().AddInteractiveServerComponents(o =>
{
    o.DetailedErrors = builder.Environment.IsDevelopment();
    // How long a disconnected circuit is kept before its state is persisted and it is dropped (default 3 minutes);
    // the reconnect browser test shortens it.
    if (builder.Configuration.GetValue<int?>("Circuits:DisconnectedRetentionSeconds") is > 0 and var seconds)
        o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(seconds);
});
builder.Services.AddLeanCircuitJsonMetadata(); // issue 17: no JSON metadata per circuit for ancestors nobody serializes (Deployment/CircuitJsonMetadata.cs)
builder.Services.AddMudServices(o =>
{
    o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
    o.SnackbarConfiguration.VisibleStateDuration = 6000;
    o.SnackbarConfiguration.PreventDuplicates = true;
});
builder.Services.AddLocalizationInterceptor<DtiPortal.Web.Components.Theme.VietnameseMudLocalization>(); // MudBlazor's own texts in Vietnamese
builder.Services.AddPublicResultsPages(); // issue 7: the public results pages' output cache, evicted on publication (Features/Public)
builder.Services.AddDtiSharedCaches(builder.Configuration); // issue 17: with Redis:Configuration, caches shared across instances (ADR-012)
var healthChecks = builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["db", InstanceHealth.ReadyTag]);
builder.Services.AddDtiInstanceHealth(healthChecks); // issue 8: /health/live, /health/ready, draining (Deployment/InstanceHealth.cs)
builder.Services.AddDtiKeyRing(builder.Configuration); // issue 8: the data-protection key ring shared through PostgreSQL (ADR-009)
builder.Services.AddDtiForwardedHeaders(builder.Configuration); // issue 8: X-Forwarded-For/Proto from known proxies only
builder.Services.AddReviewDocuments(builder.Configuration); // issue 6: minutes and decision as PDF through headless Chromium (Documents/)
builder.Services.AddReports(builder.Configuration); // issue 7: PDF reports and the background archive job (Documents/Reports/, docs/user/bao-cao.md)
builder.Services.AddHostedService<DtiPortal.Application.Notifications.NotificationJobs>(); // issue 6: deadline reminders and the e-mail outbox (docs/notifications.md)

// Sign-in: Identity's cookies (issue 3). The user's scope (IUnitScope) follows the cookie or the circuit's state.
builder.Services.AddHttpContextAccessor();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddScoped<CurrentUser>();
builder.Services.AddScoped<CircuitHandler, CurrentUserCircuitHandler>();
builder.Services.AddDtiCircuitCapacity(); // issue 17: Capacity:MaxCircuits, the overload page (Deployment/CircuitCapacity.cs)
builder.Services.AddScoped<UserUnitScope>();
builder.Services.AddScoped<IUnitScope>(sp =>
    sp.GetRequiredService<CurrentUser>().IsSystem ? FixedUnitScope.System : sp.GetRequiredService<UserUnitScope>());
builder.Services.AddScoped<AuthenticationStateProvider, RevalidatingAuthStateProvider>();
// AddSignInManager also registers the security-stamp validators the cookie handler needs.
new IdentityBuilder(typeof(AppUser), typeof(IdentityRole), builder.Services).AddSignInManager<AppSignInManager>();
builder.Services.AddScoped<IUserClaimsPrincipalFactory<AppUser>, AppClaimsFactory>();
builder.Services.AddAuthentication(o =>
    {
        o.DefaultScheme = IdentityConstants.ApplicationScheme;
        o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
    })
    .AddIdentityCookies();
builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
builder.Services.AddSessionRevocation(); // issue 16 §6: every request and open circuit re-checks the account within 2 s (Auth/SessionRevocation.cs)
builder.Services.ConfigureApplicationCookie(o =>
{
    o.Cookie.Name = "dti.auth";
    o.Cookie.HttpOnly = true;
    o.Cookie.SameSite = SameSiteMode.Lax; // Strict would drop the cookie on links from e-mail notifications
    o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
    o.LoginPath = "/dang-nhap";
    o.LogoutPath = "/dang-xuat";
    o.AccessDeniedPath = "/truy-cap-bi-tu-choi";
    o.ExpireTimeSpan = TimeSpan.FromHours(8);
    o.SlidingExpiration = true;
    // /api/* (evidence uploads and downloads from scripts): a status code, not a redirect to the sign-in page.
    o.Events.OnRedirectToLogin = c => ApiAwareRedirect(c, StatusCodes.Status401Unauthorized);
    o.Events.OnRedirectToAccessDenied = c => ApiAwareRedirect(c, StatusCodes.Status403Forbidden);
});
static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> c, int apiStatus)
{
    if (c.Request.Path.StartsWithSegments("/api")) c.Response.StatusCode = apiStatus;
    else c.Response.Redirect(c.RedirectUri);
    return Task.CompletedTask;
}
foreach (var scheme in new[] { IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme, IdentityConstants.ExternalScheme })
{
    builder.Services.Configure<CookieAuthenticationOptions>(scheme, o =>
    {
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
    });
}
builder.Services.AddAuthorization(o =>
{
    // Every page needs a signed-in user who has finished the required two-factor set-up, unless it says otherwise.
    o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
        .RequireAssertion(c => !c.User.HasClaim(x => x.Type == AppClaims.TwoFactorSetupRequired)).Build();
    // [Authorize] without a policy means the same; interactive routing only enforces attributes, so every page has one.
    o.DefaultPolicy = o.FallbackPolicy;
    o.AddPolicy(AuthPolicies.SignedIn, p => p.RequireAuthenticatedUser());
});
builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
builder.Services.AddAntiforgery(o =>
{
    o.Cookie.Name = "dti.af";
    o.Cookie.SameSite = SameSiteMode.Strict;
    o.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
});

var app = builder.Build();

var migrateOnStartup = app.Configuration.GetValue("Database:MigrateOnStartup", true);
var seedOnStartup = app.Configuration.GetValue("Demo:Seed", false);
if (migrateOnStartup || seedOnStartup)
{
    await Database.EnsureReachableAsync(connectionString);
    // Several instances starting together: one at a time runs the start-up work (Deployment/StartupLock.cs).
    await using var startupLock = await StartupLock.AcquireAsync(connectionString, app.Logger);
    if (migrateOnStartup)
    {
        await Database.MigrateAsync(app.Services);
        await DtiPortal.Application.Criteria.SyncBuiltInSets.RunAsync(app.Services); // built-in criteria sets as stored versions (idempotent)
    }
    if (seedOnStartup)
    {
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().ActAsSystem(); // start-up work is the system's, not a visitor's
        await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
    }
    KeyRing.EnsureKey(app.Services, app.Configuration); // the first key is created by one instance only
}
else await KeyRing.EnsureKeyUnderLockAsync(connectionString, app.Services, app.Configuration, app.Logger); // `dti migrate` deployments

app.UseForwardedHeaders(); // issue 8: first, so HSTS, cookies and redirects see the client's https and address
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/loi", createScopeForErrors: true);
    app.UseHsts();
}
app.UseMiddleware<SecurityHeadersMiddleware>();
app.UseStatusCodePagesWithReExecute("/khong-tim-thay", createScopeForStatusCodePages: true);
app.UseStaticFiles();
app.UseMiddleware<CircuitCapacityMiddleware>(); // issue 17: past capacity, new visitors get 503 and open circuits keep working
app.UseCircuitConnectionScopeBegin(); // issue 17: a circuit's connection lets go of what signing it in resolved (…End below)
app.UseAuthentication();
app.UseMiddleware<CurrentUserMiddleware>();
app.UseAuthorization();
app.UseAntiforgery();
app.UseOutputCache(); // after authentication: the public pages' policy caches anonymous visitors only
app.UseCircuitConnectionScopeEnd(); // last before the endpoint (Deployment/CircuitConnectionScope.cs)

app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
{
    ResponseWriter = HealthResponse.WriteAsync,
    Predicate = c => c.Tags.Contains("db"), // as before issue 8: the database only
}).AllowAnonymous();
app.MapDtiInstanceHealth(); // issue 8: /health/live and /health/ready (Deployment/InstanceHealth.cs)
// Issue 17's capacity benchmark: the live managed heap after a full collection, asked from this machine only and only when
// Diagnostics:HeapEndpoint is on (scripts/bench-circuits.sh turns it on; dotnet-gcdump stops counting at 10 million objects).
if (app.Configuration.GetValue("Diagnostics:HeapEndpoint", false))
{
    app.MapGet("/dev/heap", (HttpContext http) => http.Connection.RemoteIpAddress is { } ip && System.Net.IPAddress.IsLoopback(ip)
        ? Results.Text(GC.GetTotalMemory(forceFullCollection: true).ToString(System.Globalization.CultureInfo.InvariantCulture))
        : Results.NotFound()).AllowAnonymous(); // the loopback check above is the guard: the load generator has no session
}
app.MapAccountEndpoints();
app.MapEvidenceEndpoints(); // issue 5: streaming evidence upload, download and preview (Api/EvidenceEndpoints.cs)
app.MapSpreadsheetEndpoints(); // issue 7: assessment export, entry template and ranking as .xlsx (Api/SpreadsheetEndpoints.cs)
app.MapReviewDocumentEndpoints(); // issue 6: biên bản thẩm định and quyết định công nhận as PDF (Api/ReviewDocumentEndpoints.cs)
app.MapReportEndpoints(); // issue 7: unit and summary reports as PDF, the archive of a report job (Api/ReportEndpoints.cs)
DtiPortal.Web.Features.Criteria.Studio.StudioEndpoints.MapStudioEndpoints(app); // issue 14: the studio's workbook, YAML and decision PDF downloads
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
