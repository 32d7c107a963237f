using System.Runtime.CompilerServices;
using DtiPortal.Application.Assessments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using System.Data.Common;

namespace DtiPortal.Application.Caching;

/// <summary>
/// Issue 17 (ADR-012): notices every committed change that moves a round's self-assessed scores — a value added, changed or
/// removed, an assessment added to or removed from a round — whichever use case made it (autosave, spreadsheet import, demo
/// data), and tells the <see cref="Reporting.RoundScoreCache"/> of this instance and, through <see cref="SharedChanges"/>,
/// the other instances. Only after the commit: an instance told earlier could read the old rows and trust them.
/// A SaveChanges without a transaction of the caller's commits its own (the audit interceptor's or EF's), so the commit
/// event covers both; a SaveChanges that fails or a transaction rolled back tells nobody.
/// </summary>
public sealed class ScoreChangeInterceptor(Reporting.RoundScoreCache scores, SharedChanges shared) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];
    private CommitInterceptor? _commits;

    private sealed class Pending
    {
        public HashSet<int> Assessments { get; } = [];
        public HashSet<int> Rounds { get; } = [];
    }

    /// <summary>The commit half, registered beside this one (EF has one interface per kind of event).</summary>
    public IInterceptor Commits => _commits ??= new CommitInterceptor(this);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        FlushUnlessInTransaction(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        FlushUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        // Nothing of a failed save is committed by it; changes collected for an open transaction still wait for its end.
        if (eventData.Context is { } c && c.Database.CurrentTransaction is null) _pending.Remove(c);
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null) return;
        Pending? pending = null;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            switch (entry.Entity)
            {
                case AssessmentValue v:
                    (pending ??= _pending.GetOrCreateValue(context)).Assessments.Add(v.AssessmentId);
                    break;
                case Assessment a when entry.State is EntityState.Added or EntityState.Deleted:
                    (pending ??= _pending.GetOrCreateValue(context)).Rounds.Add(a.RoundId);
                    break;
            }
        }
    }

    private void FlushUnlessInTransaction(DbContext? context)
    {
        if (context is not null && context.Database.CurrentTransaction is null) Flush(context);
    }

    private void Flush(DbContext? context)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending)) return;
        _pending.Remove(context);
        var change = new ScoreChange(pending.Assessments.ToArray(), pending.Rounds.ToArray());
        if (change.IsEmpty) return;
        scores.Changed(change);
        shared.RaiseCommitted(change);
    }

    private sealed class CommitInterceptor(ScoreChangeInterceptor owner) : DbTransactionInterceptor
    {
        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => owner.Flush(eventData.Context);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            owner.Flush(eventData.Context);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
        {
            if (eventData.Context is { } c) owner._pending.Remove(c);
        }

        public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            TransactionRolledBack(transaction, eventData);
            return Task.CompletedTask;
        }
    }
}
