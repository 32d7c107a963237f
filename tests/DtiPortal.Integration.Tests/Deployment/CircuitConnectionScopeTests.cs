using System.Net;
using DtiPortal.Web.Deployment;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Deployment;

/// <summary>
/// Issue 17: the request that carries a circuit (/_blazor) lets go of the scoped services its middleware resolved (signing
/// in resolves Identity's stores and a database context) before the connection settles in; other requests are untouched.
/// A real ASP.NET Core pipeline (TestServer) with the two middleware around a "sign-in" step that resolves a scoped service.
/// </summary>
public class CircuitConnectionScopeTests
{
    private sealed class Resolved : IAsyncDisposable
    {
        public bool Disposed { get; private set; }
        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    private static async Task<(HttpClient Client, List<Resolved> SignIn, WebApplication App)> StartAsync(bool turnAway = false)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddScoped<Resolved>();
        var app = builder.Build();
        var signIn = new List<Resolved>();
        app.UseCircuitConnectionScopeBegin();
        app.Use(async (context, next) => // stands for authentication: resolves a scoped service
        {
            var resolved = context.RequestServices.GetRequiredService<Resolved>();
            lock (signIn) signIn.Add(resolved);
            if (turnAway)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await next(context);
        });
        app.UseCircuitConnectionScopeEnd();
        app.Map("/{**path}", (HttpContext context) =>
        {
            var resolved = signIn[^1];
            var again = context.RequestServices.GetRequiredService<Resolved>();
            return $"{(resolved.Disposed ? "released" : "kept")} {(ReferenceEquals(again, resolved) ? "same" : "other")}";
        });
        await app.StartAsync();
        return (app.GetTestClient(), signIn, app);
    }

    [Fact]
    public async Task TheCircuitConnection_ReachesItsEndpointWithoutWhatSigningInResolved()
    {
        var (client, signIn, app) = await StartAsync();
        await using var _ = app;
        Assert.Equal("released other", await client.GetStringAsync("/_blazor?id=abc"));
        Assert.True(signIn.Single().Disposed);
    }

    [Fact]
    public async Task OtherRequests_KeepTheirScopeUntilTheyEnd()
    {
        var (client, signIn, app) = await StartAsync();
        await using var _ = app;
        Assert.Equal("kept same", await client.GetStringAsync("/danh-gia/1"));
        Assert.Equal("kept same", await client.GetStringAsync("/_blazor/negotiate?negotiateVersion=1"));
        Assert.All(signIn, r => Assert.True(r.Disposed)); // at the end of each request, as always
    }

    [Fact]
    public async Task ACircuitConnectionTurnedAwayBeforeItsEndpoint_StillReleasesTheScope()
    {
        var (client, signIn, app) = await StartAsync(turnAway: true);
        await using var _ = app;
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/_blazor?id=abc")).StatusCode);
        Assert.True(signIn.Single().Disposed);
    }
}
