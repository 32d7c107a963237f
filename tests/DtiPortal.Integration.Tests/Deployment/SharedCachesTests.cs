using System.Collections.Concurrent;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Caching;
using DtiPortal.Application.PublicResults;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Reporting;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Scoring;
using DtiPortal.Integration.Tests.Assessments;
using DtiPortal.Integration.Tests.Infrastructure;
using DtiPortal.Web.Deployment;
using DtiPortal.Web.Features.Public;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DtiPortal.Integration.Tests.Deployment;

/// <summary>
/// Issue 17 (ADR-012): two "instances" — two service providers wired as Program.cs wires them (AddPublicResultsPages, then
/// AddDtiSharedCaches) — on the same database and a real redis-server. A publication on one empties the other's rendered
/// public pages and data; a save on one refreshes the other's round scores, which otherwise answers from memory; without
/// Redis, or with Redis gone, everything still works on each instance by itself.
/// </summary>
public sealed class SharedCachesTests(AssessmentFixture fx, RedisServer redis) : IClassFixture<AssessmentFixture>, IClassFixture<RedisServer>
{
    private static readonly byte[] Page = [1, 2, 3];

    [Fact]
    public async Task Publication_OnOneInstance_EvictsTheOtherInstancesPublicPages_AndTheirData()
    {
        var prefix = Prefix();
        await using var a = await Instance.StartAsync(fx.Db.ConnectionString, redis.Configuration, prefix);
        await using var b = await Instance.StartAsync(fx.Db.ConnectionString, redis.Configuration, prefix);
        var bPages = b.Get<IOutputCacheStore>();
        await bPages.SetAsync("ket-qua/42", Page, [PublicResultsPages.Tag], TimeSpan.FromMinutes(10), default);
        Assert.Equal(Page, await bPages.GetAsync("ket-qua/42", default));
        var bData = b.Get<PublicResultsCache>();
        Assert.Equal("trước", await bData.GetForRoundAsync(42, "xep-hang", () => Task.FromResult("trước")));
        var generation = bData.Generation;

        a.Get<IPublicResultsCache>().Invalidate(42); // what PublishRound calls after its commit

        Assert.Null(await bPages.GetAsync("ket-qua/42", default)); // the pages are shared: gone at once
        await Eventually(() => bData.Generation > generation, "instance B did not drop its public data");
        Assert.Equal("sau", await bData.GetForRoundAsync(42, "xep-hang", () => Task.FromResult("sau")));
    }

    [Fact]
    public async Task Save_OnOneInstance_RefreshesTheOtherInstancesRoundScores_WhichOtherwiseAnswerFromMemory()
    {
        var (_, ids) = await fx.NewRoundAsync();
        await FillAsync(ids["C1"], fx.Officer(), digitalHouseholds: "1.225");                  // 50 % of 2450
        await FillAsync(ids["C2"], fx.Officer("C2", "officer-2"), digitalHouseholds: "1.960"); // 80 %
        await FillAsync(ids["C3"], FixedUnitScope.System, digitalHouseholds: "490");           // 20 %
        var prefix = Prefix();
        await using var a = await Instance.StartAsync(fx.Db.ConnectionString, redis.Configuration, prefix);
        await using var b = await Instance.StartAsync(fx.Db.ConnectionString, redis.Configuration, prefix);

        Assert.Equal(5m, (await b.ScoreAsync(fx.Officer(), ids["C1"])).Node("1.5").Points); // 10 × (0.5 − 0.2)/(0.8 − 0.2)
        var scores = b.Get<RoundScoreCache>();
        var checks = scores.DatabaseChecks;
        Assert.Equal(5m, (await b.ScoreAsync(fx.Officer(), ids["C1"])).Node("1.5").Points);
        Assert.Equal(checks, scores.DatabaseChecks); // nothing changed anywhere: answered from memory, PostgreSQL not asked

        var saved = await a.SaveAsync(FixedUnitScope.System, ids["C3"], "1.5.a", "980", expectedVersion: 1); // 40 %
        Assert.True(saved.Saved, saved.Error);

        // Pub/sub delivers within milliseconds; B's next read after the message shows the new cohort.
        decimal points = 0;
        await Eventually(async () => (points = (await b.ScoreAsync(fx.Officer(), ids["C1"])).Node("1.5").Points) == 2.5m,
            () => $"instance B still scores C1 {points} after instance A's save");
        Assert.True(scores.DatabaseChecks > checks);
        // A's own next read (its save marked the round there too) agrees.
        Assert.Equal(2.5m, (await a.ScoreAsync(fx.Officer(), ids["C1"])).Node("1.5").Points);
    }

    [Fact]
    public async Task WithoutRedis_EveryInstanceKeepsItsOwnCaches_AndChecksPostgreSqlForScores()
    {
        var (_, ids) = await fx.NewRoundAsync();
        await FillAsync(ids["C1"], fx.Officer());
        await using var a = await Instance.StartAsync(fx.Db.ConnectionString, redisConfiguration: null, Prefix());
        Assert.Null(a.Services.GetService<RedisLink>());
        Assert.IsNotType<FailoverOutputCacheStore>(a.Get<IOutputCacheStore>()); // the framework's memory store, as before
        var scores = a.Get<RoundScoreCache>();
        await a.ScoreAsync(fx.Officer(), ids["C1"]);
        var checks = scores.DatabaseChecks;
        await a.ScoreAsync(fx.Officer(), ids["C1"]);
        Assert.Equal(checks + 1, scores.DatabaseChecks); // today's behaviour: every call asks PostgreSQL for the round's stamps
    }

    [Fact]
    public async Task RedisUnreachable_TheInstanceWorksAlone_AndLogsAWarning()
    {
        var (_, ids) = await fx.NewRoundAsync();
        await FillAsync(ids["C1"], fx.Officer());
        var logs = new ListLoggerProvider();
        var nothing = $"127.0.0.1:{RedisServer.FreePort()},connectTimeout=500";
        await using var a = await Instance.StartAsync(fx.Db.ConnectionString, nothing, Prefix(), logs, waitForLink: false);

        var pages = a.Get<IOutputCacheStore>();
        await pages.SetAsync("ket-qua", Page, [PublicResultsPages.Tag], TimeSpan.FromMinutes(10), default);
        Assert.Equal(Page, await pages.GetAsync("ket-qua", default)); // kept in this instance's memory
        var started = DateTime.UtcNow;
        a.Get<IPublicResultsCache>().Invalidate(7);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3), "a publication waited for the missing Redis");
        Assert.Null(await pages.GetAsync("ket-qua", default));

        Assert.Equal(20m, (await a.ScoreAsync(fx.Officer(), ids["C1"])).Node("1.1").Points); // "Chủ tịch UBND xã"
        var saved = await a.SaveAsync(fx.Officer(), ids["C1"], "1.1", "3", expectedVersion: 1); // "Chưa phân công": 0 points
        Assert.True(saved.Saved, saved.Error);
        Assert.Equal(0m, (await a.ScoreAsync(fx.Officer(), ids["C1"])).Node("1.1").Points);
        Assert.False(a.Get<SharedChanges>().Linked);
        await Eventually(() => logs.Warnings.Any(w => w.Contains("Redis", StringComparison.Ordinal)), "no warning about Redis was logged");
    }

    [Fact]
    public async Task RedisGoingAway_UnlinksBothInstances_ScoresStayRight_AndTheyRelinkWhenItIsBack()
    {
        await using var own = new RedisServer();
        await own.StartAsync();
        var (_, ids) = await fx.NewRoundAsync();
        await FillAsync(ids["C1"], fx.Officer(), digitalHouseholds: "1.225");
        await FillAsync(ids["C2"], fx.Officer("C2", "officer-2"), digitalHouseholds: "1.960");
        await FillAsync(ids["C3"], FixedUnitScope.System, digitalHouseholds: "490");
        var prefix = Prefix();
        await using var a = await Instance.StartAsync(fx.Db.ConnectionString, own.Configuration, prefix);
        await using var b = await Instance.StartAsync(fx.Db.ConnectionString, own.Configuration, prefix);
        Assert.Equal(5m, (await b.ScoreAsync(fx.Officer(), ids["C1"])).Node("1.5").Points);

        await own.StopAsync();
        await Eventually(() => !a.Get<SharedChanges>().Linked && !b.Get<SharedChanges>().Linked, "the instances did not notice Redis was gone");
        var saved = await a.SaveAsync(FixedUnitScope.System, ids["C3"], "1.5.a", "980", expectedVersion: 1);
        Assert.True(saved.Saved, saved.Error);
        // Nobody could tell B, yet its very next read is right: unlinked, it checks PostgreSQL again.
        Assert.Equal(2.5m, (await b.ScoreAsync(fx.Officer(), ids["C1"])).Node("1.5").Points);
        var pages = b.Get<IOutputCacheStore>();
        await pages.SetAsync("ket-qua", Page, [PublicResultsPages.Tag], TimeSpan.FromMinutes(10), default);
        Assert.Equal(Page, await pages.GetAsync("ket-qua", default)); // in B's memory meanwhile

        await own.StartAsync();
        await Eventually(() => a.Get<SharedChanges>().Linked && b.Get<SharedChanges>().Linked, "the instances did not link again");
        var again = await a.SaveAsync(FixedUnitScope.System, ids["C3"], "1.5.a", "490", expectedVersion: 2); // 20 % again
        Assert.True(again.Saved, again.Error);
        decimal points = 0;
        await Eventually(async () => (points = (await b.ScoreAsync(fx.Officer(), ids["C1"])).Node("1.5").Points) == 5m,
            () => $"instance B still scores C1 {points} after the save made once Redis was back");
    }

    private async Task FillAsync(int assessmentId, IUnitScope scope, string digitalHouseholds = "1.200")
    {
        foreach (var (address, text) in new[]
        {
            ("general:1.4", "9.120"), ("general:1.6", "2.450"), ("1.1", "1"), ("1.2", "có"), ("1.3.a", "6.120"),
            ("1.4.a", "10"), ("1.4.b", "12"), ("1.5.a", digitalHouseholds), ("1.6", "72,5"),
        })
        {
            var r = await fx.SaveAsync(scope, assessmentId, address, text);
            Assert.True(r.Saved, $"{address}: {r.Error}");
        }
    }

    internal static string Prefix() => "dti-test-" + Guid.NewGuid().ToString("N")[..8] + ":";

    internal static Task Eventually(Func<bool> condition, string message) =>
        Eventually(() => Task.FromResult(condition()), () => message);

    internal static async Task Eventually(Func<Task<bool>> condition, Func<string> message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail(message());
            await Task.Delay(50);
        }
    }

    /// <summary>One app instance: the application's services and the web app's cache wiring, with its Redis link started.</summary>
    internal sealed class Instance : IAsyncDisposable
    {
        private Instance(ServiceProvider services) => Services = services;

        public ServiceProvider Services { get; }

        public static async Task<Instance> StartAsync(string connectionString, string? redisConfiguration, string prefix,
            ListLoggerProvider? logs = null, bool waitForLink = true)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [SharedCaches.ConfigurationKey] = redisConfiguration, ["Redis:InstanceName"] = prefix,
            }).Build();
            var instance = new Instance(TestDatabase.BuildServicesWith(connectionString, s =>
            {
                if (logs is not null) s.AddSingleton<ILoggerProvider>(logs);
                s.AddPublicResultsPages();
                s.AddDtiSharedCaches(configuration);
            }));
            if (instance.Services.GetService<RedisLink>() is { } link)
            {
                await link.StartAsync(default);
                if (waitForLink) await Eventually(() => instance.Get<SharedChanges>().Linked, "the instance did not link to Redis");
            }
            return instance;
        }

        public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

        public async Task<UnitResult> ScoreAsync(IUnitScope scope, int assessmentId)
        {
            await using var s = Services.CreateAsyncScope();
            s.ServiceProvider.GetRequiredService<TestUnitScope>().Current = scope;
            return await s.ServiceProvider.GetRequiredService<ScoreAssessment>().HandleAsync(assessmentId);
        }

        public async Task<SaveValueResult> SaveAsync(IUnitScope scope, int assessmentId, string address, string text, int expectedVersion)
        {
            await using var s = Services.CreateAsyncScope();
            s.ServiceProvider.GetRequiredService<TestUnitScope>().Current = scope;
            return await s.ServiceProvider.GetRequiredService<SaveValue>().HandleAsync(assessmentId, address, text, expectedVersion);
        }

        /// <summary>Runs a use case in a DI scope acting as <paramref name="scope"/>.</summary>
        public async Task<TResult> AsAsync<TUseCase, TResult>(IUnitScope scope, Func<TUseCase, Task<TResult>> action) where TUseCase : notnull
        {
            await using var s = Services.CreateAsyncScope();
            s.ServiceProvider.GetRequiredService<TestUnitScope>().Current = scope;
            return await action(s.ServiceProvider.GetRequiredService<TUseCase>());
        }

        public async ValueTask DisposeAsync()
        {
            if (Services.GetService<RedisLink>() is { } link) await link.StopAsync(default);
            await Services.DisposeAsync();
        }
    }

    internal sealed class ListLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _warnings = new();

        public IEnumerable<string> Warnings => _warnings;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(ListLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel >= LogLevel.Warning) owner._warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}

/// <summary>
/// Issue 17: a real publication (<see cref="PublishRound"/>) on instance A, and the public results instance B shows next —
/// its data and its rendered pages — include it at once, not after B's 10-minute lifetime.
/// </summary>
public sealed class SharedPublicationTests(DtiPortal.Integration.Tests.PublicResults.PublicResultsFixture fx, RedisServer redis)
    : IClassFixture<DtiPortal.Integration.Tests.PublicResults.PublicResultsFixture>, IClassFixture<RedisServer>
{
    [Fact]
    public async Task PublishRound_OnInstanceA_ShowsOnInstanceB_AtOnce()
    {
        var (roundId, a) = await fx.Review.Entry.NewRoundAsync();
        await fx.ArrangeAsync(a, "C1", AssessmentStatus.Approved, total: 40);
        await fx.PublishAsync(roundId);
        var prefix = SharedCachesTests.Prefix();
        await using var instanceA = await SharedCachesTests.Instance.StartAsync(fx.Review.Entry.Db.ConnectionString, redis.Configuration, prefix);
        await using var instanceB = await SharedCachesTests.Instance.StartAsync(fx.Review.Entry.Db.ConnectionString, redis.Configuration, prefix);
        async Task<int[]> RankingOnB() => (await instanceB.AsAsync<PublicResultsQueries, RoundResults?>(FixedUnitScope.Nobody, q => q.RoundAsync(roundId)))!
            .Ranking.Rows.Select(r => r.AssessmentId).ToArray();
        Assert.Equal([a["C1"]], await RankingOnB()); // now cached on B
        var pagesOnB = instanceB.Get<IOutputCacheStore>();
        await pagesOnB.SetAsync($"ket-qua/{roundId}", [1], [PublicResultsPages.Tag], TimeSpan.FromMinutes(10), default);

        await fx.ArrangeAsync(a, "C2", AssessmentStatus.Approved, total: 60);
        Assert.Equal([a["C1"]], await RankingOnB()); // approved is not published: B's cached ranking is still right
        var published = await instanceA.AsAsync<PublishRound, ReviewResult>(fx.Review.Admin(), p => p.HandleAsync(roundId));
        Assert.True(published.Ok, published.Error);

        Assert.Null(await pagesOnB.GetAsync($"ket-qua/{roundId}", default));
        int[] rows = [];
        await SharedCachesTests.Eventually(async () => (rows = await RankingOnB()).SequenceEqual([a["C2"], a["C1"]]),
            () => $"instance B still ranks {string.Join(", ", rows)} after instance A published");
    }
}
