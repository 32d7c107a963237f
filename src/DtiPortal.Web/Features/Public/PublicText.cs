using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.PublicResults;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;

namespace DtiPortal.Web.Features.Public;

/// <summary>How the public pages write numbers, dates and levels (Vietnamese: 1.000; 72,5; dd/MM/yyyy, Vietnam time).</summary>
public static class PublicText
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    public const string Missing = "—";

    public static string Date(DateTimeOffset at) => at.ToOffset(Vietnam).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string Number(decimal? value) => value is { } v ? VnFormat.Number(v) : Missing;

    public static string Count(int n) => n.ToString("N0", CultureInfo.GetCultureInfo("vi-VN"));

    public static string Level(int? level, string? name) =>
        DisplayedScore.LevelText(level ?? 0, name is null ? [] : [new MaturityLevel(level ?? 0, name)]); // the one wording (issue 15)

    /// <summary>A main index's value in a ranking cell: points, or the level met for a levels-only set.</summary>
    public static string Index(RankingScale scale, decimal? value) =>
        value is null ? Missing : scale.LevelsOnly ? (value == 0 ? "0" : $"Mức {VnFormat.Number(value.Value)}") : VnFormat.Number(value.Value);

    /// <summary>The share of <paramref name="count"/> in <paramref name="total"/> as a whole percentage ("12%").</summary>
    public static string Share(int count, int total) => total == 0 ? "0%" : $"{Math.Round(100m * count / total, 0, MidpointRounding.AwayFromZero)}%";

    /// <summary>
    /// Answers 404 with the page's own message. Blazor (.NET 10) writes no body for a page whose status is 404 while it
    /// renders (it leaves the body to the status-code pages, which this app's re-execution cannot serve from a static page
    /// in the same scope), so the status is set when the response starts — after the page has been rendered — instead.
    /// </summary>
    public static void NotFound(HttpContext? context)
    {
        if (context is null || context.Response.HasStarted) return;
        context.Items[PublicResultsPages.NotFoundItem] = true; // never stored by the output cache
        context.Response.OnStarting(static state =>
        {
            ((HttpResponse)state).StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }, context.Response);
    }

    /// <summary>
    /// The public pages set no cookie and allow no caching outside the server: browsers and proxies revalidate every time
    /// (no-cache), because they could not be told about a publication. A static Blazor page still asks for an antiforgery
    /// token when it ends; with the output cache wired (<see cref="PublicResultsPages"/>) that token comes without its
    /// cookie, and without it the cookie is removed here as the response starts, so no visitor's cookie is ever cached.
    /// </summary>
    public static void PublicHeaders(HttpContext? context)
    {
        if (context is null || context.Response.HasStarted) return;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            response.Headers.Remove("Set-Cookie");
            response.Headers.Remove("Pragma");
            response.Headers.CacheControl = "no-cache";
            return Task.CompletedTask;
        }, context.Response);
    }

    /// <summary>Parses an optional whole number from the query string; anything else is "no value" (a public page never fails on it).</summary>
    public static int? Int(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
