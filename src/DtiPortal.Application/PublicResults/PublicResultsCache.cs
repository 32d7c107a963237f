using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace DtiPortal.Application.PublicResults;

/// <summary>
/// What publishing calls after its commit: the public results of the round (and every list or national ranking it takes
/// part in) are read again on the next request, so a publication appears at once.
/// </summary>
public interface IPublicResultsCache
{
    void Invalidate(int roundId);
}

/// <summary>
/// The public pages' data, held in memory (singleton): the landing list, each round's ranking, the national rankings and
/// recently viewed unit details. Published results never change without a publication, so entries live until
/// <see cref="Invalidate"/> (called by <c>PublishRound</c> after its commit) or, as a safety net for changes made elsewhere
/// (another web instance, an operator's SQL), until <see cref="Lifetime"/> passes (setting PublicResults:CacheMinutes,
/// default 10).
/// <para>
/// Keys carry a generation: the round's own for its ranking and details, a global one for the landing list and national
/// rankings. Invalidating bumps both, so a load that started before the publication committed can finish but is never read
/// again. Concurrent misses of one key share one load (no stampede under load). The entry count is capped
/// (<see cref="MaxEntries"/>); past it, the cache starts again empty.
/// </para>
/// </summary>
public sealed class PublicResultsCache : IPublicResultsCache
{
    public const int MaxEntries = 2_000;

    private sealed record Entry(Lazy<Task<object?>> Value, long CreatedAt);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _roundGenerations = new();
    private long _generation;

    public PublicResultsCache(IConfiguration? configuration = null)
    {
        var minutes = configuration?.GetValue<double?>("PublicResults:CacheMinutes") ?? 10;
        Lifetime = TimeSpan.FromMinutes(minutes);
    }

    public TimeSpan Lifetime { get; }

    /// <summary>How many times the cache was invalidated (tests read it).</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public void Invalidate(int roundId)
    {
        _roundGenerations.AddOrUpdate(roundId, 1, (_, g) => g + 1);
        Interlocked.Increment(ref _generation);
        var roundPrefix = $"r{roundId}:";
        foreach (var key in _entries.Keys)
            if (key.StartsWith(roundPrefix, StringComparison.Ordinal) || key.StartsWith("g:", StringComparison.Ordinal))
                _entries.TryRemove(key, out _);
    }

    /// <summary>An entry that depends on every published round (landing list, national rankings).</summary>
    public Task<T> GetGlobalAsync<T>(string key, Func<Task<T>> load) => GetAsync($"g:{Generation}:{key}", load);

    /// <summary>An entry that depends on one round only (its ranking, its units' details).</summary>
    public Task<T> GetForRoundAsync<T>(int roundId, string key, Func<Task<T>> load) =>
        GetAsync($"r{roundId}:{_roundGenerations.GetValueOrDefault(roundId)}:{key}", load);

    private async Task<T> GetAsync<T>(string key, Func<Task<T>> load)
    {
        if (!_entries.TryGetValue(key, out var entry) || Environment.TickCount64 - entry.CreatedAt > Lifetime.TotalMilliseconds)
        {
            // A miss (rare: once per entry and publication): drop an expired entry, keep the cache bounded, add one load.
            if (entry is not null) _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            if (_entries.Count >= MaxEntries) _entries.Clear();
            entry = _entries.GetOrAdd(key, _ => new Entry(new Lazy<Task<object?>>(async () => await load()), Environment.TickCount64));
        }
        try
        {
            return (T)(await entry.Value.Value)!;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry)); // a failed load is not cached: the next request tries again
            throw;
        }
    }
}
