using DtiPortal.Application.PublicResults;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Primitives;

namespace DtiPortal.Web.Features.Public;

/// <summary>
/// Wiring of the public results pages (issue 7). Program.cs calls <see cref="AddPublicResultsPages"/> after
/// AddDtiApplication and <c>app.UseOutputCache()</c> before mapping the components.
/// <para>
/// Why an output cache: a static Blazor page costs about 0.7–1 ms of CPU per request before it renders anything of its own
/// (renderer, layout, authentication state, antiforgery token), so two cores serve about 1,000 ranking pages a second and
/// 200 concurrent visitors wait ~200 ms (docs/benchmarks.md). The rendered page of an anonymous visitor is the same for
/// everyone until the next publication, so it is kept in memory (ASP.NET Core output caching) and evicted by
/// <see cref="IPublicResultsCache.Invalidate"/> together with the data cache: a publication still appears at once — on every
/// instance when Redis is configured (issue 17: the pages are then kept in Redis, Deployment/SharedCaches.cs, ADR-012).
/// Nothing is cached in browsers or proxies (<c>Cache-Control: no-cache</c>): they could not be told about a publication.
/// </para>
/// </summary>
public static class PublicResultsPages
{
    public const string Policy = "public-results";
    public const string Tag = "public-results";

    /// <summary>Query-string parameters the public pages read; anything else does not change the page.</summary>
    internal static readonly string[] QueryKeys = ["tim", "huyen", "tinh", "trang"];

    /// <summary>Set by a public page that answers 404, so that its response is not stored.</summary>
    internal const string NotFoundItem = "public-results:not-found";

    public static IServiceCollection AddPublicResultsPages(this IServiceCollection services)
    {
        services.AddOutputCache(o => o.AddPolicy(Policy, new PublicPagePolicy()));
        DecorateAntiforgery(services);
        // Publishing (PublishRound) invalidates both the data and the rendered pages.
        services.Replace(ServiceDescriptor.Singleton<IPublicResultsCache>(sp =>
            new PublicResultsInvalidation(sp.GetRequiredService<PublicResultsCache>(), sp.GetRequiredService<IOutputCacheStore>(),
                sp.GetService<Deployment.RedisLink>())));
        return services;
    }

    /// <summary>
    /// A static Blazor page asks for an antiforgery token when it finishes (for interactive forms it might have), which sets
    /// the antiforgery cookie and "no-store". The public pages have no form that posts: for them the token is generated
    /// without storing its cookie, so their rendered page is the same for every anonymous visitor and can be cached. Every
    /// other page, and every validation, goes to the framework's antiforgery unchanged.
    /// </summary>
    private static void DecorateAntiforgery(IServiceCollection services)
    {
        services.AddAntiforgery(); // idempotent: makes sure the framework's registration exists to be wrapped
        var inner = services.Last(d => d.ServiceType == typeof(IAntiforgery));
        services.Remove(inner);
        services.AddSingleton<IAntiforgery>(sp => new PublicPagesAntiforgery(
            inner.ImplementationInstance as IAntiforgery
            ?? inner.ImplementationFactory?.Invoke(sp) as IAntiforgery
            ?? (IAntiforgery)ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!)));
    }

    private sealed class PublicPagesAntiforgery(IAntiforgery inner) : IAntiforgery
    {
        private static bool IsPublicPage(HttpContext context) =>
            context.GetEndpoint()?.Metadata.GetMetadata<OutputCacheAttribute>()?.PolicyName == Policy;

        public AntiforgeryTokenSet GetAndStoreTokens(HttpContext httpContext) =>
            IsPublicPage(httpContext) ? inner.GetTokens(httpContext) : inner.GetAndStoreTokens(httpContext);

        public AntiforgeryTokenSet GetTokens(HttpContext httpContext) => inner.GetTokens(httpContext);
        public Task<bool> IsRequestValidAsync(HttpContext httpContext) => inner.IsRequestValidAsync(httpContext);
        public Task ValidateRequestAsync(HttpContext httpContext) => inner.ValidateRequestAsync(httpContext);
        public void SetCookieTokenAndHeader(HttpContext httpContext) => inner.SetCookieTokenAndHeader(httpContext);
    }

    /// <summary>
    /// With several instances (Redis configured, Deployment/SharedCaches.cs, ADR-012) the pages live in Redis, so the
    /// eviction empties them for every instance, and <paramref name="others"/> tells the other instances to drop their data.
    /// </summary>
    private sealed class PublicResultsInvalidation(PublicResultsCache data, IOutputCacheStore pages, Deployment.RedisLink? others) : IPublicResultsCache
    {
        public void Invalidate(int roundId)
        {
            data.Invalidate(roundId);
            // The in-memory store evicts synchronously, Redis's within its short timeout (a publication is rare): the next
            // request after the publication renders again.
            pages.EvictByTagAsync(Tag, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            others?.PublicResultsChanged(roundId);
        }
    }

    /// <summary>
    /// Caches GET/HEAD responses of anonymous visitors only (a signed-in user's page has their own header), per page and
    /// query (<see cref="QueryKeys"/>) and per navigation kind (Blazor's enhanced navigation gets slightly different markup),
    /// for at most ten minutes as a safety net; never a 404, never a response that sets a cookie.
    /// </summary>
    private sealed class PublicPagePolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken ct)
        {
            var http = context.HttpContext;
            var cacheable = (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                            && http.User.Identity?.IsAuthenticated != true
                            && StringValues.IsNullOrEmpty(http.Request.Headers.Authorization);
            context.EnableOutputCaching = true;
            context.AllowCacheLookup = cacheable;
            context.AllowCacheStorage = cacheable;
            context.AllowLocking = true; // one render per page under a burst of requests
            context.ResponseExpirationTimeSpan = TimeSpan.FromMinutes(10);
            context.Tags.Add(Tag);
            context.CacheVaryByRules.QueryKeys = QueryKeys;
            context.CacheVaryByRules.VaryByValues["nav"] = http.Request.Headers.Accept.ToString().Contains("blazor-enhanced-nav", StringComparison.Ordinal)
                ? "enhanced" : "full";
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken ct) => ValueTask.CompletedTask;

        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken ct)
        {
            var http = context.HttpContext;
            if (http.Response.StatusCode != StatusCodes.Status200OK || http.Items.ContainsKey(NotFoundItem))
            {
                context.AllowCacheStorage = false;
                return ValueTask.CompletedTask;
            }
            // Never store a response that sets a cookie (it would be handed to every later visitor).
            if (!StringValues.IsNullOrEmpty(http.Response.Headers.SetCookie)) context.AllowCacheStorage = false;
            return ValueTask.CompletedTask;
        }
    }
}
