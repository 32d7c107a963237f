using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.PublicResults;

/// <summary>
/// The public results pages' use case (no sign-in): published rounds, a round's ranking, a unit's published detail and the
/// national ranking, served from <see cref="PublicResultsCache"/> and read on a miss by <see cref="PublicResultsReader"/>
/// (which shows only Published assessments of published rounds). Loads never take the caller's cancellation: one load
/// serves every concurrent request for the same entry.
/// </summary>
public sealed class PublicResultsQueries(PublicResultsCache cache, PublicResultsReader reader)
{
    public Task<PublicLanding> LandingAsync() => cache.GetGlobalAsync("landing", () => reader.LoadLandingAsync());

    /// <summary>The round's ranking; null when the round does not exist or is not published.</summary>
    public Task<RoundResults?> RoundAsync(int roundId) => cache.GetForRoundAsync(roundId, "ranking", () => reader.LoadRoundAsync(roundId));

    /// <summary>One unit's published result in the round; null unless the assessment is Published in this published round.</summary>
    public async Task<PublishedUnitResult?> UnitAsync(int roundId, int assessmentId)
    {
        var round = await RoundAsync(roundId);
        if (round is null) return null;
        return await cache.GetForRoundAsync(roundId, $"unit:{assessmentId}", () => reader.LoadUnitAsync(round, assessmentId));
    }

    /// <summary>The national ranking of a year on one criteria set version (rows without main-index values); null when nothing of it is published.</summary>
    public Task<NationalResults?> NationalAsync(int year, int versionId) =>
        cache.GetGlobalAsync($"national:{year}:{versionId}", () => reader.LoadNationalAsync(year, versionId));

    /// <summary>
    /// <paramref name="rows"/> (a page of <paramref name="national"/>) with their main-index values: those not read yet are read
    /// in one query and kept with the national ranking, so each unit's stored result is read at most once per publication.
    /// </summary>
    public async Task<IReadOnlyList<RankedUnit>> WithIndicesAsync(NationalResults national, IReadOnlyList<RankedUnit> rows)
    {
        var missing = rows.Where(r => !national.Indices.ContainsKey(r.AssessmentId)).Select(r => r.AssessmentId).ToList();
        if (missing.Count > 0)
        {
            var read = await reader.LoadIndicesAsync(national.Ranking.Scale, missing);
            foreach (var id in missing) national.Indices[id] = read.GetValueOrDefault(id) ?? new decimal?[national.Ranking.Scale.Indices.Count];
        }
        return rows.Select(r => r with { Indices = national.Indices[r.AssessmentId] }).ToList();
    }
}

public static class PublicResultsServices
{
    /// <summary>The public results use case, its reader and its cache (one per process; <see cref="IPublicResultsCache"/> is the same instance).</summary>
    public static IServiceCollection AddDtiPublicResults(this IServiceCollection services)
    {
        services.AddSingleton<PublicResultsCache>();
        services.AddSingleton<IPublicResultsCache>(sp => sp.GetRequiredService<PublicResultsCache>());
        services.AddSingleton<PublicResultsReader>();
        services.AddSingleton<PublicResultsQueries>();
        return services;
    }
}
