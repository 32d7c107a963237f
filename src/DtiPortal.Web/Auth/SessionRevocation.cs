using System.Collections.Concurrent;
using System.Security.Claims;
using DtiPortal.Application.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Web.Auth;

/// <summary>
/// Whether a signed-in principal is still valid: its account exists, is not disabled, and has the security stamp the cookie
/// was issued with (disabling, a role change or a password reset changes the stamp). Issue 16 §6: a disabled user lost
/// access only after about 72 s (Identity's stamp check every minute) and an open page kept saving for 20 s and more; now
/// every request and every open circuit asks this check, which reads the account from PostgreSQL at most once per
/// <c>Security:RevocationCacheSeconds</c> (default 2) per user and instance. Every instance reads the same database, so a
/// change made on one instance is seen by all within that time, with no message between them to lose.
/// </summary>
public sealed class SessionRevocation(IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IConfiguration configuration, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Entry> _accounts = new(StringComparer.Ordinal);
    // The users asked about lately (by open circuits every couple of seconds, by requests): read together, in one query.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _asked = new(StringComparer.Ordinal);
    private readonly TimeSpan _cacheFor = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Security:RevocationCacheSeconds", 2.0), 0, 5));
    private readonly Lock _gate = new();
    private Task? _reading;

    private sealed record Entry(bool Active, string? Stamp, DateTimeOffset ReadAt);

    /// <summary>The longest a revoked session can go unnoticed by this check (plus one request's time).</summary>
    public TimeSpan CacheFor => _cacheFor;

    public async Task<bool> IsValidAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        if (principal.Identity?.IsAuthenticated != true) return true; // nothing to revoke
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return false;
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        var now = clock.GetUtcNow();
        var fresh = false;
        if (!_accounts.TryGetValue(userId, out var entry) || now - entry.ReadAt >= _cacheFor)
        {
            entry = await ReadTogetherAsync(userId, now, ct);
            fresh = true;
        }
        if (Valid(entry, stamp)) return true;
        if (fresh) return false;
        // The cached stamp may be the older one: the user's own action (turning on two-factor, a new password) changes the
        // stamp and re-issues their cookie at once. Only the database can say which is current.
        entry = await ReadOneAsync(userId, clock.GetUtcNow(), ct);
        _accounts[userId] = entry;
        return Valid(entry, stamp);
    }

    private static bool Valid(Entry entry, string? stamp) => entry.Active && (stamp is null || stamp == entry.Stamp);

    /// <summary>
    /// The account as read by a query that started no earlier than <paramref name="askedAt"/>. Issue 17: with thousands of
    /// open pages each re-checked every 2 s, one query per user was hundreds of queries a second; now every user asked about
    /// while a read is under way waits for the next one, which reads them all at once (one query per interval per instance).
    /// </summary>
    private async Task<Entry> ReadTogetherAsync(string userId, DateTimeOffset askedAt, CancellationToken ct)
    {
        _asked[userId] = askedAt;
        while (true)
        {
            // Most callers find a read under way (every open page's check falls due at about the same time): no lock then.
            var reading = Volatile.Read(ref _reading);
            if (reading is null || reading.IsCompleted)
            {
                lock (_gate)
                {
                    if (_reading is null || _reading.IsCompleted) _reading = ReadAskedAsync();
                    reading = _reading;
                }
            }
            await reading.WaitAsync(ct);
            if (_accounts.TryGetValue(userId, out var entry) && entry.ReadAt >= askedAt) return entry;
            // The read under way started before this user was asked about: the next one includes it.
        }
    }

    private async Task ReadAskedAsync()
    {
        var now = clock.GetUtcNow();
        // Users not asked about for a minute have no open page here any more: stop reading them.
        foreach (var (id, at) in _asked)
        {
            if (now - at > TimeSpan.FromMinutes(1)) { _asked.TryRemove(id, out _); _accounts.TryRemove(id, out _); }
        }
        var ids = _asked.Keys.ToArray();
        if (ids.Length == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DtiPortal.Application.Data.DtiDbContext>();
        var found = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.IsDisabled, u.SecurityStamp }).ToListAsync();
        var byId = found.ToDictionary(u => u.Id, StringComparer.Ordinal);
        foreach (var id in ids)
        {
            _accounts[id] = byId.TryGetValue(id, out var u) ? new Entry(!u.IsDisabled, u.SecurityStamp, now) : new Entry(false, null, now);
        }
    }

    private async Task<Entry> ReadOneAsync(string userId, DateTimeOffset now, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        ct.ThrowIfCancellationRequested();
        return user is null ? new Entry(false, null, now) : new Entry(!user.IsDisabled, user.SecurityStamp, now);
    }
}

public static class SessionRevocationExtensions
{
    /// <summary>Registers <see cref="SessionRevocation"/> and puts it in front of Identity's own (minutely) stamp check on every
    /// request carrying the sign-in cookie: a revoked session is signed out and answered as anonymous (401 on /api, sign-in page).</summary>
    public static IServiceCollection AddSessionRevocation(this IServiceCollection services)
    {
        services.AddSingleton<SessionRevocation>();
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var identityCheck = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async context =>
            {
                var revocation = context.HttpContext.RequestServices.GetRequiredService<SessionRevocation>();
                if (context.Principal is { } principal && !await revocation.IsValidAsync(principal, context.HttpContext.RequestAborted))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await identityCheck(context);
            };
        });
        return services;
    }
}
