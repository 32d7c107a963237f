using System.Collections.Concurrent;
using System.Globalization;
using DtiPortal.Application.Caching;
using DtiPortal.Application.PublicResults;
using DtiPortal.Application.Reporting;
using DtiPortal.Web.Features.Public;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using StackExchange.Redis;

namespace DtiPortal.Web.Deployment;

/// <summary>
/// Issue 17 (ADR-012): several instances share what they cache through Redis, set by <c>Redis:Configuration</c> (a
/// StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379</c>). Without it nothing here is registered and every
/// instance keeps its caches to itself, as before. With it:
/// <list type="bullet">
/// <item>the public pages' output cache lives in Redis, so a publication's eviction by tag empties it for every instance;</item>
/// <item>invalidations travel on one pub/sub channel: a publication drops the other instances' public data cache
/// (<see cref="PublicResultsCache"/>), a committed value change marks the round in their <see cref="RoundScoreCache"/>.</item>
/// </list>
/// Redis down (at start or later) never stops the app: pages are cached in this instance's memory again, the score cache
/// checks PostgreSQL on every call (as without Redis), and a warning is logged; all comes back when Redis does.
/// Program.cs calls <see cref="AddDtiSharedCaches"/> after <c>AddPublicResultsPages</c>.
/// </summary>
public static class SharedCaches
{
    public const string ConfigurationKey = "Redis:Configuration";

    public static IServiceCollection AddDtiSharedCaches(this IServiceCollection services, IConfiguration configuration)
    {
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text)) return services;
        var options = ConfigurationOptions.Parse(text);
        options.AbortOnConnectFail = false; // start while Redis is down, and keep reconnecting in the background
        options.BacklogPolicy = BacklogPolicy.FailFast; // while it is down, fail at once: never queue a page request behind it
        if (!text.Contains("connectTimeout", StringComparison.OrdinalIgnoreCase)) options.ConnectTimeout = 2000;
        if (!text.Contains("syncTimeout", StringComparison.OrdinalIgnoreCase)) options.SyncTimeout = 2000;
        if (!text.Contains("asyncTimeout", StringComparison.OrdinalIgnoreCase)) options.AsyncTimeout = 2000;
        options.ClientName ??= "dti-portal";
        var prefix = configuration["Redis:InstanceName"] is { Length: > 0 } p ? p : "dti:";

        services.AddSingleton(sp => new RedisLink(options, prefix, sp, sp.GetRequiredService<ILogger<RedisLink>>()));
        services.AddHostedService(sp => sp.GetRequiredService<RedisLink>());

        // The output cache: Redis's store, with this instance's memory store (registered by AddOutputCache) as the fallback.
        var memory = services.LastOrDefault(d => d.ServiceType == typeof(IOutputCacheStore))
                     ?? throw new InvalidOperationException("AddDtiSharedCaches must follow AddPublicResultsPages (AddOutputCache).");
        services.AddStackExchangeRedisOutputCache(o => o.InstanceName = prefix + "oc:");
        // One multiplexer for the store and the channel (the store asks for it only once Redis is reachable).
        services.AddOptions<Microsoft.AspNetCore.OutputCaching.StackExchangeRedis.RedisOutputCacheOptions>()
            .Configure<RedisLink>((o, link) => o.ConnectionMultiplexerFactory = () => Task.FromResult(link.Connection));
        var redis = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.RemoveAll<IOutputCacheStore>();
        services.AddSingleton<IOutputCacheStore>(sp =>
        {
            var link = sp.GetRequiredService<RedisLink>();
            return new FailoverOutputCacheStore(Create(sp, redis), Create(sp, memory), link, sp.GetRequiredService<ILogger<FailoverOutputCacheStore>>());
        });
        return services;
    }

    private static IOutputCacheStore Create(IServiceProvider sp, ServiceDescriptor d) =>
        d.ImplementationInstance as IOutputCacheStore
        ?? d.ImplementationFactory?.Invoke(sp) as IOutputCacheStore
        ?? (IOutputCacheStore)ActivatorUtilities.CreateInstance(sp, d.ImplementationType!);
}

/// <summary>
/// The one Redis connection of this instance and its invalidation channel. It is "linked" (<see cref="SharedChanges.Linked"/>)
/// only once a message it published came back through its own subscription, so a trusted cache never misses an
/// invalidation because the subscription was not (yet, or again) in place; any connection failure unlinks it at once.
/// </summary>
public sealed class RedisLink : IHostedService, IDisposable
{
    private readonly string _id = Guid.NewGuid().ToString("N");
    private readonly RedisChannel _channel;
    private readonly IServiceProvider _services;
    private readonly ILogger<RedisLink> _logger;
    private readonly SharedChanges _shared;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _connecting = new();
    private ConnectionMultiplexer? _redis;
    private Task? _loop;
    private volatile string? _probe;
    private bool _subscribed;
    private bool _warned;

    public RedisLink(ConfigurationOptions options, string prefix, IServiceProvider services, ILogger<RedisLink> logger)
    {
        Options = options;
        _channel = RedisChannel.Literal(prefix + "invalidate");
        _services = services;
        _logger = logger;
        _shared = services.GetRequiredService<SharedChanges>();
    }

    public ConfigurationOptions Options { get; }

    /// <summary>Whether commands can be sent now (the output cache store asks before each use).</summary>
    public bool IsConnected => _redis?.IsConnected == true;

    /// <summary>The multiplexer, created on first use; never throws while Redis is down (it keeps reconnecting).</summary>
    public IConnectionMultiplexer Connection
    {
        get
        {
            if (_redis is { } r) return r;
            lock (_connecting)
            {
                if (_redis is null)
                {
                    var redis = ConnectionMultiplexer.Connect(Options);
                    redis.ConnectionFailed += (_, e) => Unlink($"{e.ConnectionType}: {e.FailureType} {e.Exception?.Message}");
                    redis.ConnectionRestored += (_, e) => _logger.LogInformation("Redis: kết nối lại ({Type})", e.ConnectionType);
                    _redis = redis;
                }
                return _redis;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _shared.Committed += OnCommitted;
        _loop = Task.Run(() => LinkLoopAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _shared.Committed -= OnCommitted;
        _shared.SetLinked(false);
        await _stopping.CancelAsync();
        if (_loop is not null) await Task.WhenAny(_loop, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    public void Dispose()
    {
        // Once only: the container disposes the link both as itself and as the hosted service it is registered as.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stopping.Cancel();
        _stopping.Dispose();
        _redis?.Dispose();
    }

    private int _disposed;

    /// <summary>Tells the other instances that a round was published (their public data and pages are dropped).</summary>
    public void PublicResultsChanged(int roundId) => Publish("p", roundId.ToString(CultureInfo.InvariantCulture));

    private void OnCommitted(ScoreChange change) => Publish("s", change.ToWire());

    private void Publish(string kind, string payload)
    {
        if (!IsConnected) return; // nobody can be told; the others are unlinked too, and check PostgreSQL themselves
        try
        {
            Connection.GetSubscriber().Publish(_channel, $"{_id}|{kind}|{payload}", CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            Unlink(ex.Message);
        }
    }

    private void Unlink(string why)
    {
        if (_shared.Linked) _logger.LogWarning("Redis: mất kết nối ({Why}); bộ nhớ đệm chỉ còn cục bộ cho tới khi kết nối lại", why);
        _probe = null;
        _shared.SetLinked(false);
    }

    /// <summary>While unlinked: subscribe (once; the client renews it after a reconnect) and send a probe every second.</summary>
    private async Task LinkLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (!_shared.Linked)
            {
                try
                {
                    var subscriber = Connection.GetSubscriber();
                    if (!_subscribed)
                    {
                        await subscriber.SubscribeAsync(_channel, (_, message) => OnMessage(message));
                        _subscribed = true;
                    }
                    var probe = Guid.NewGuid().ToString("N");
                    _probe = probe;
                    await subscriber.PublishAsync(_channel, $"{_id}|h|{probe}");
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    if (!_warned)
                        _logger.LogWarning("Redis không kết nối được ({Error}); bộ nhớ đệm chỉ dùng cục bộ, thử lại mỗi giây", ex.Message);
                    _warned = true;
                }
            }
            try
            {
                await Task.Delay(_shared.Linked ? 5000 : 1000, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnMessage(RedisValue message)
    {
        var parts = ((string?)message ?? "").Split('|', 3);
        if (parts.Length != 3) return;
        if (parts[0] == _id)
        {
            if (parts[1] == "h" && parts[2] == _probe && !_shared.Linked)
            {
                _shared.SetLinked(true);
                _warned = false;
                _logger.LogInformation("Redis: đã liên kết bộ nhớ đệm với các máy chủ khác (kênh {Channel})", _channel.ToString());
            }
            return; // this instance's own invalidations were applied when they were made
        }
        try
        {
            switch (parts[1])
            {
                case "s" when ScoreChange.FromWire(parts[2]) is { } change:
                    _services.GetRequiredService<RoundScoreCache>().Changed(change);
                    break;
                case "p" when int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var roundId):
                    _services.GetRequiredService<PublicResultsCache>().Invalidate(roundId);
                    _ = EvictPagesAsync();
                    break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning(ex, "Redis: không xử lý được thông báo {Kind}", parts[1]);
        }
    }

    /// <summary>
    /// The publishing instance emptied the shared store already; this instance evicts again now and shortly after, so that a
    /// page it was rendering from its data cache meanwhile (not yet dropped then) is not kept, and its memory store too.
    /// </summary>
    private async Task EvictPagesAsync()
    {
        var pages = _services.GetRequiredService<IOutputCacheStore>();
        try
        {
            await pages.EvictByTagAsync(PublicResultsPages.Tag, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(2), _stopping.Token);
            await pages.EvictByTagAsync(PublicResultsPages.Tag, CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning(ex, "Redis: không xoá được trang công khai đã lưu");
        }
    }
}

/// <summary>
/// The public pages' output cache store: Redis's while it is reachable, this instance's memory store otherwise (a warning
/// at most once a minute). An eviction always empties the memory store too; one that could not reach Redis is repeated
/// there before Redis is used again, so a page from before a publication is never served from it afterwards.
/// </summary>
public sealed class FailoverOutputCacheStore(IOutputCacheStore shared, IOutputCacheStore local, RedisLink link, ILogger<FailoverOutputCacheStore> logger)
    : IOutputCacheStore
{
    private readonly ConcurrentDictionary<string, byte> _pendingTags = new(StringComparer.Ordinal);
    private volatile bool _hasPending; // set after a tag is added: the hot path (every page request) reads only this
    private long _lastWarning = long.MinValue / 2;

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (await SharedUsableAsync(cancellationToken))
        {
            try
            {
                return await shared.GetAsync(key, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Warn(ex);
            }
        }
        return await local.GetAsync(key, cancellationToken);
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (await SharedUsableAsync(cancellationToken))
        {
            try
            {
                await shared.SetAsync(key, value, tags, validFor, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Warn(ex);
            }
        }
        await local.SetAsync(key, value, tags, validFor, cancellationToken);
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        await local.EvictByTagAsync(tag, cancellationToken);
        _pendingTags[tag] = 0;
        _hasPending = true;
        await SharedUsableAsync(cancellationToken); // evicts the pending tags from Redis when it is reachable
    }

    private async ValueTask<bool> SharedUsableAsync(CancellationToken ct)
    {
        if (!link.IsConnected) return false;
        if (!_hasPending) return true;
        _hasPending = false;
        foreach (var tag in _pendingTags.Keys)
        {
            try
            {
                await shared.EvictByTagAsync(tag, ct);
                _pendingTags.TryRemove(tag, out _);
            }
            catch (Exception ex)
            {
                _hasPending = true; // tried again on the next use
                if (ex is OperationCanceledException) throw;
                Warn(ex);
                return false;
            }
        }
        return true;
    }

    private void Warn(Exception ex)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastWarning);
        if (now - last < 60_000 || Interlocked.CompareExchange(ref _lastWarning, now, last) != last) return;
        logger.LogWarning("Redis: bộ nhớ đệm trang công khai dùng bộ nhớ của máy chủ này ({Error})", ex.Message);
    }
}
