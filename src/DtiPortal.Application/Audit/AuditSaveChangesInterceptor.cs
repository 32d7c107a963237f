using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace DtiPortal.Application.Audit;

/// <summary>
/// Writes an audit entry for every added, modified or deleted entity, with the changed properties before and after,
/// in the same transaction as the change (it opens one when the caller has none): a change is never committed
/// without its entry. Secrets (password hash, security stamp) are written as "***"; noise (concurrency stamps,
/// row versions, Identity's tokens, claims and logins) is left out. Role memberships and users are audited.
/// </summary>
public sealed class AuditSaveChangesInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    public const string Redacted = "***";
    private const int MaxTextLength = 1000;

    private static readonly HashSet<string> Secrets = new(StringComparer.Ordinal) { nameof(AppUser.PasswordHash), nameof(AppUser.SecurityStamp) };
    private static readonly HashSet<string> Noise = new(StringComparer.Ordinal) { nameof(AppUser.ConcurrencyStamp) };
    // Identity's tables that hold secrets or bookkeeping rather than decisions (authenticator keys, recovery codes, passkeys).
    private static readonly HashSet<string> SkippedGenericTypes = new(StringComparer.Ordinal)
        { "IdentityUserToken`1", "IdentityUserClaim`1", "IdentityRoleClaim`1", "IdentityUserLogin`1", "IdentityUserPasskey`1" };

    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    private sealed class Pending
    {
        public required List<Change> Changes { get; init; }
        public IDbContextTransaction? OwnTransaction { get; set; }
    }

    private sealed record Change(EntityEntry Entry, EntityState State, string EntityType, string? EntityId, int? UnitId, string? Before, string? After);

    public static bool IsAudited(IReadOnlyEntityType entityType)
    {
        var clr = entityType.ClrType;
        if (clr == typeof(AuditEntry)) return false;
        // Not decisions: inbox rows and queued e-mails (their cause is audited), and cohort snapshots, which hold other
        // units' figures and must not be copied into entries scoped to one unit.
        if (clr == typeof(Notifications.Notification) || clr == typeof(Notifications.EmailMessage) || clr == typeof(Reviews.ScoreSnapshot)) return false;
        // Key material never goes into the audit log; a report job's progress would flood it (the request is audited by the use case).
        if (clr == typeof(Data.DataProtectionKeyRow) || clr == typeof(Reporting.Reports.ReportJob)) return false;
        // A criteria draft is saved as the admin types (its whole text each time): the studio's use cases write one entry per
        // step (created, saved, document attached, deleted, published) instead of copying the text into every entry.
        if (clr == typeof(Criteria.Studio.CriteriaSetDraft)) return false;
        return !(clr.IsGenericType && SkippedGenericTypes.Contains(clr.GetGenericTypeDefinition().Name));
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Capture(eventData.Context, async: false, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await Capture(eventData.Context, async: true, cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Complete(eventData.Context, async: false, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await Complete(eventData.Context, async: true, cancellationToken);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Abandon(eventData.Context, async: false).GetAwaiter().GetResult();
    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) => Abandon(eventData.Context, async: true);
    public override void SaveChangesCanceled(DbContextEventData eventData) => Abandon(eventData.Context, async: false).GetAwaiter().GetResult();
    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) => Abandon(eventData.Context, async: true);

    private async Task Capture(DbContext? context, bool async, CancellationToken ct)
    {
        if (context is not DtiDbContext db) return;
        if (db.ChangeTracker.AutoDetectChangesEnabled) db.ChangeTracker.DetectChanges(); // SavingChanges runs before EF's own DetectChanges
        var changes = new List<Change>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || !IsAudited(entry.Metadata)) continue;
            var change = entry.State switch
            {
                // Added: generated keys are known only after the save; described in Complete.
                EntityState.Added => new Change(entry, EntityState.Added, NameOf(entry.Metadata), null, null, null, null),
                EntityState.Modified => Modified(entry),
                _ => new Change(entry, EntityState.Deleted, NameOf(entry.Metadata), KeyOf(entry), UnitOf(entry, db), Serialize(entry, original: true, onlyChanged: false), null),
            };
            if (change is not null) changes.Add(change);
        }
        if (changes.Count == 0) return;
        var pending = new Pending { Changes = changes };
        if (db.Database.CurrentTransaction is null)
            pending.OwnTransaction = async ? await db.Database.BeginTransactionAsync(ct) : db.Database.BeginTransaction();
        _pending.AddOrUpdate(db, pending);

        Change? Modified(EntityEntry entry)
        {
            var before = Serialize(entry, original: true, onlyChanged: true);
            if (before is null) return null; // nothing really changed (properties set to the values they had)
            return new Change(entry, EntityState.Modified, NameOf(entry.Metadata), KeyOf(entry), UnitOf(entry, db), before,
                Serialize(entry, original: false, onlyChanged: true));
        }
    }

    private async Task Complete(DbContext? context, bool async, CancellationToken ct)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending)) return;
        _pending.Remove(context);
        var db = (DtiDbContext)context;
        try
        {
            var scope = db.Scope;
            var at = clock.GetUtcNow();
            var rows = new List<AuditRow>(pending.Changes.Count);
            foreach (var c in pending.Changes)
            {
                var (id, unit, after) = c.State == EntityState.Added
                    ? (KeyOf(c.Entry), UnitOf(c.Entry, db), Serialize(c.Entry, original: false, onlyChanged: false))
                    : (c.EntityId, c.UnitId, c.After);
                unit ??= await UserUnitAsync(c.Entry, db, async, ct);
                var action = c.State switch { EntityState.Added => "Create", EntityState.Modified => "Update", _ => "Delete" };
                rows.Add(new AuditRow(at, scope.UserId, scope.UserName, scope.Origin, action, c.EntityType, id, unit, c.Before, after, null, true));
            }
            await AuditSql.InsertAsync(db, rows, async, ct);
            if (pending.OwnTransaction is { } tx)
            {
                if (async) await tx.CommitAsync(ct); else tx.Commit();
            }
        }
        finally
        {
            if (pending.OwnTransaction is { } tx)
            {
                if (async) await tx.DisposeAsync(); else tx.Dispose();
            }
        }
    }

    private async Task Abandon(DbContext? context, bool async)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending)) return;
        _pending.Remove(context);
        if (pending.OwnTransaction is { } tx)
        {
            if (async) await tx.DisposeAsync(); else tx.Dispose(); // disposing an uncommitted transaction rolls it back
        }
    }

    private static string NameOf(IReadOnlyEntityType t) => EntityName(t);

    /// <summary>The entity type as entries name it ("Assessment"; Identity's generic types without "Identity": "UserRole").</summary>
    public static string EntityName(IReadOnlyEntityType t)
    {
        var clr = t.ClrType;
        if (!clr.IsGenericType) return clr.Name;
        var name = clr.GetGenericTypeDefinition().Name;
        name = name[..name.IndexOf('`')];
        return name.StartsWith("Identity", StringComparison.Ordinal) ? name["Identity".Length..] : name; // IdentityUserRole<string> → UserRole
    }

    private static string? KeyOf(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey();
        if (key is null) return null;
        return string.Join(",", key.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The unit an entry concerns, which decides who may read it.</summary>
    private static int? UnitOf(EntityEntry entry, DtiDbContext db) => entry.Entity switch
    {
        IUnitOwned owned => owned.UnitId,
        AppUser user => user.UnitId,
        AdministrativeUnit unit when unit.Id > 0 => unit.Id,
        UnitPredecessor p => p.UnitId > 0 ? p.UnitId : null,
        _ => null,
    };

    /// <summary>A role membership row concerns its user's unit.</summary>
    private static async Task<int?> UserUnitAsync(EntityEntry entry, DtiDbContext db, bool async, CancellationToken ct)
    {
        if (entry.Metadata.FindProperty("UserId") is null || entry.Entity is AppUser) return null;
        if (entry.Property("UserId").CurrentValue is not string userId) return null;
        var tracked = db.ChangeTracker.Entries<AppUser>().FirstOrDefault(u => u.Entity.Id == userId);
        if (tracked is not null) return tracked.Entity.UnitId;
        var query = db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (int?)u.UnitId);
        return async ? await query.FirstOrDefaultAsync(ct) : query.FirstOrDefault();
    }

    /// <summary>JSON of the entry's properties (original or current values); with onlyChanged, those whose value differs. Null when empty.</summary>
    private static string? Serialize(EntityEntry entry, bool original, bool onlyChanged)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in entry.Properties)
        {
            var meta = p.Metadata;
            if (Noise.Contains(meta.Name) || (meta.IsConcurrencyToken && meta.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAddOrUpdate))
                continue;
            if (onlyChanged && Equals(p.OriginalValue, p.CurrentValue)) continue;
            var value = original ? p.OriginalValue : p.CurrentValue;
            if (!onlyChanged && value is null) continue;
            values[meta.Name] = Secrets.Contains(meta.Name) ? (value is null ? null : Redacted) : Plain(value);
        }
        return values.Count == 0 ? null : JsonSerializer.Serialize(values, Json);
    }

    private static object? Plain(object? value) => value switch
    {
        Enum e => e.ToString(),
        string { Length: > MaxTextLength } s => s[..200] + $"… [{s.Length} ký tự]",
        byte[] b => $"[{b.Length} byte]",
        _ => value,
    };
}
