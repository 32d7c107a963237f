using DtiPortal.Application;
using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Web.Components;
using DtiPortal.Web.Health;
using Radzen;

var builder = WebApplication.CreateBuilder(args);

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
});
builder.Services.AddRadzenComponents();
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["db"]);

var app = builder.Build();

if (app.Configuration.GetValue("Database:MigrateOnStartup", true))
{
    await Database.EnsureReachableAsync(connectionString);
    await Database.MigrateAsync(app.Services);
}
if (app.Configuration.GetValue("Demo:Seed", false))
{
    using var scope = app.Services.CreateScope();
    await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync();
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/loi", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/khong-tim-thay");
app.UseStaticFiles();
app.UseAntiforgery();

app.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
{
    ResponseWriter = HealthResponse.WriteAsync,
});
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Visible to WebApplicationFactory in tests.</summary>
public partial class Program;
