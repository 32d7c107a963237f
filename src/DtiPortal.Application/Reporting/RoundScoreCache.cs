using System.Collections.Concurrent;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Reporting;

/// <summary>
/// The self-assessed scores of every assessment of a round, computed in one pass (<see cref="ReviewScoring.Score"/>) and kept
/// with the values they came from, so that the dashboard — loaded twice per visit (prerender and circuit), by every reviewer
/// of the province — does not read and parse the whole round's values each time. Each call asks PostgreSQL, in one query,
/// for every assessment's number of value rows and sum of their versions (every save bumps a row's version, a new value adds
/// a row; values are never deleted, a cleared one keeps its row): only the assessments whose figures changed are read
/// again, and the round is scored again in memory only when something changed (peer-relative criteria may move every
/// unit). Singleton; holds other units' scores, so only <see cref="DashboardQueries"/> (which returns the visible units'
/// figures only) and <see cref="ScoreAssessment"/> (which returns the one assessment its caller may see; issue 17: the live
/// score after every save, shared by every circuit of the round) read it.
/// <para>
/// Several instances (issue 17, ADR-012): the stamps above make every call right whoever saved, on whichever instance, at the
/// price of one aggregate over the round's value rows per call. While this instance is linked to the others through Redis
/// (<see cref="SharedChanges.Linked"/>), every committed change of every instance reaches <see cref="Changed"/>
/// (<see cref="Caching.ScoreChangeInterceptor"/> here, the Redis subscription for the others), so a round that nothing
/// changed since it was last checked is answered from memory without asking PostgreSQL; a changed one is checked as before.
/// A round is checked anyway after <see cref="RecheckAfter"/> (changes made outside EF, e.g. an operator's SQL), and
/// everything is checked again whenever the link was lost. Without Redis nothing is ever trusted: every call checks.
/// </para>
/// </summary>
public sealed class RoundScoreCache(Caching.SharedChanges? shared = null)
{
    /// <summary>How long a round answered from memory (while linked) is trusted before PostgreSQL is asked again.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(60);

    // Issue 17: every open entry page of a peer-relative set reads its round here, so every active round of the country
    // (63 provinces × commune and district rounds, two years during the transition) must fit: what it holds is bounded by
    // the number of units, not of rounds.
    private const int Capacity = 512;
    private readonly ConcurrentDictionary<int, Scores> _rounds = new();

    // Change marks (ADR-012), all under _gate: a counter bumped by every Changed call, the last mark of each round, the
    // round of each assessment of a cached round, and the last mark that named an assessment of no known round (it may
    // belong to a round being read for the first time).
    private readonly Lock _gate = new();
    private readonly Dictionary<int, long> _roundMarks = [];
    private readonly Dictionary<int, int> _roundOf = [];
    private long _marks;
    private long _lastUnresolved;
    private long _checks;

    /// <summary>What identifies the state of one assessment's values.</summary>
    internal readonly record struct Stamp(long Values, long Versions);

    /// <summary>
    /// A round's scores: each assessment's stamp and values (as the engine reads them), whether it has at least one value, and
    /// its result; all keyed by assessment id.
    /// </summary>
    internal sealed record Scores(
        int SetVersionId, IReadOnlyDictionary<int, Stamp> Stamps, IReadOnlyDictionary<int, UnitValues> Raw,
        IReadOnlySet<int> WithValues, IReadOnlyDictionary<int, UnitResult> Live)
    {
        public long LastUsed { get; set; }

        /// <summary>The change mark this state is known to include (-1: not trusted), the link's epoch then, and when (ticks).</summary>
        public long TrustedMark { get; set; } = -1;
        public long Epoch { get; set; }
        public long CheckedAt { get; set; }
    }

    private sealed class StampRow
    {
        public int AssessmentId { get; set; }
        public long Values { get; set; }
        public long Versions { get; set; }
    }

    /// <summary>Forgets every round: the next call reads and scores its round from scratch (as after a restart; benchmarks).</summary>
    public void Clear() => _rounds.Clear();

    /// <summary>How many times a round's state was asked of PostgreSQL (tests and benchmarks read it).</summary>
    public long DatabaseChecks => Interlocked.Read(ref _checks);

    /// <summary>
    /// Committed changes, on this instance or another (ADR-012): the rounds they touch are checked again on their next call.
    /// </summary>
    public void Changed(Caching.ScoreChange change)
    {
        lock (_gate)
        {
            var mark = ++_marks;
            foreach (var round in change.RoundIds) _roundMarks[round] = mark;
            foreach (var assessment in change.AssessmentIds)
                if (_roundOf.TryGetValue(assessment, out var round)) _roundMarks[round] = mark;
                else _lastUnresolved = mark;
        }
    }

    private bool IsTrusted(int roundId, Scores scores)
    {
        if (shared is not { Linked: true } || scores.TrustedMark < 0 || scores.Epoch != shared.Epoch
            || Environment.TickCount64 - scores.CheckedAt > RecheckAfter.TotalMilliseconds)
            return false;
        lock (_gate) return _roundMarks.GetValueOrDefault(roundId) <= scores.TrustedMark;
    }

    /// <summary>
    /// After a check that started at <paramref name="mark"/>: the state read then is trusted unless a change that could concern
    /// this round arrived since (it may not be in what was read) or the link was down.
    /// </summary>
    private void Trust(int roundId, Scores scores, long mark, long epoch, bool linked)
    {
        lock (_gate)
        {
            foreach (var id in scores.Stamps.Keys) _roundOf[id] = roundId;
            var trusted = linked && _lastUnresolved <= mark && _roundMarks.GetValueOrDefault(roundId) <= mark;
            scores.TrustedMark = trusted ? mark : -1;
            scores.Epoch = epoch;
            scores.CheckedAt = Environment.TickCount64;
        }
    }

    /// <summary>The round's scores, computed again only for what changed since the last call. <paramref name="system"/>: an unrestricted context.</summary>
    internal async Task<Scores> GetAsync(DtiDbContext system, int roundId, EntrySet set, CancellationToken ct)
    {
        if (_rounds.TryGetValue(roundId, out var known) && known.SetVersionId == set.VersionId && IsTrusted(roundId, known))
        {
            known.LastUsed = Environment.TickCount64;
            return known;
        }
        // What is known before asking PostgreSQL: a change committed after this point may be missing from what is read.
        var linked = shared is { Linked: true };
        var epoch = shared?.Epoch ?? 0;
        long mark;
        lock (_gate) mark = _marks;
        Interlocked.Increment(ref _checks);
        await system.Database.OpenConnectionAsync(ct); // the stamps and the values on one connection (one scope written)
        var stamps = (await system.Database.SqlQuery<StampRow>($"""
                select a.id as "AssessmentId", count(v.id) as "Values", coalesce(sum(v.version), 0)::bigint as "Versions"
                from assessments a left join assessment_values v on v.assessment_id = a.id
                where a.round_id = {roundId}
                group by a.id
                """).ToListAsync(ct))
            .ToDictionary(r => r.AssessmentId, r => new Stamp(r.Values, r.Versions));
        var cached = _rounds.TryGetValue(roundId, out var hit) && hit.SetVersionId == set.VersionId ? hit : null;
        var changed = stamps.Where(s => cached is null || !cached.Stamps.TryGetValue(s.Key, out var before) || before != s.Value)
            .Select(s => s.Key).ToArray();
        if (cached is not null && changed.Length == 0 && cached.Stamps.Count == stamps.Count)
        {
            cached.LastUsed = Environment.TickCount64;
            Trust(roundId, cached, mark, epoch, linked);
            return cached;
        }

        // Read the changed assessments' values (all of them the first time), keep the others', score the whole round again.
        var rows = (await system.AssessmentValues.AsNoTracking().Where(v => changed.Contains(v.AssessmentId) && v.ValueJson != null)
            .Select(v => new StoredValues.Row(v.AssessmentId, v.Address, v.ValueJson, 0, default, null)).ToListAsync(ct))
            .ToLookup(v => v.AssessmentId);
        var ids = stamps.Keys.Order().ToList();
        var raw = ids.ToDictionary(id => id, id => cached is not null && !changed.Contains(id) && cached.Raw.TryGetValue(id, out var kept)
            ? kept : StoredValues.ToUnitValues(ReviewScoring.Key(id), rows[id], set));
        // Every assessment of the round, as ReviewScoring.LoadAsync builds a cohort that compares peers; the self-assessed
        // stage reads no appraisals. When the same assessments were scored before, only the changed ones are scored again
        // (ScoringEngine.Rescore: the whole round only when one of them moves a peer-relative criterion's range).
        IReadOnlyList<UnitResult> results;
        if (cached is not null && cached.Stamps.Count == stamps.Count && ids.All(cached.Live.ContainsKey))
        {
            var changedIds = changed.ToHashSet();
            var positions = ids.Select((id, i) => (id, i)).Where(x => changedIds.Contains(x.id)).Select(x => x.i).ToList();
            results = ScoringEngine.Rescore(set.Set, ids.Select(id => raw[id]).ToList(), ids.Select(id => cached.Live[id]).ToList(), positions).Units;
        }
        else
        {
            var cohort = new ReviewScoring.Cohort(ids, raw, Array.Empty<CriterionAppraisal>().ToLookup(a => a.AssessmentId));
            results = ReviewScoring.Score(set, cohort, ReviewScoring.Stage.Self, hasDistrictTier: false).Units; // no tier at this stage
        }
        var scores = new Scores(set.VersionId, stamps, raw,
            ids.Where(id => raw[id].Values.Count > 0 || raw[id].General is { Count: > 0 }).ToHashSet(),
            ids.Zip(results).ToDictionary(x => x.First, x => x.Second)) { LastUsed = Environment.TickCount64 };
        Trust(roundId, scores, mark, epoch, linked);
        _rounds[roundId] = scores;
        if (_rounds.Count > Capacity)
            foreach (var old in _rounds.OrderBy(kv => kv.Value.LastUsed).Take(_rounds.Count - Capacity).ToList())
                _rounds.TryRemove(old.Key, out _);
        return scores;
    }
}
