using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Domain;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Reviews;

/// <summary>
/// The reviewer's queue (issue 6): the submissions in the user's scope (the district's communes for the culture office,
/// the province for the council), with status, deadline, what is missing and the self-assessed and appraised scores.
/// Scores are computed once per round for the listed units (peer-relative criteria against the round's cohort).
/// </summary>
public sealed class ReviewQueue(IDbContextFactory<DtiDbContext> dbFactory, ReviewAccess review, AssessmentAccess access, RoundSetCache sets, ReviewScoring scoring, TimeProvider clock)
{
    public async Task<IReadOnlyList<RoundSummary>> RoundsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rounds = (await db.AssessmentRounds.AsNoTracking().ToListAsync(ct)).Where(access.CanReadRound).Select(r => r.Id).ToList();
        return [.. (await RoundAdmin.SummariesAsync(db, db.AssessmentRounds.AsNoTracking().Where(r => rounds.Contains(r.Id)), ct))
            .OrderByDescending(r => r.Year).ThenBy(r => r.Name)];
    }

    public async Task<IReadOnlyList<ReviewQueueItem>> ListAsync(ReviewQueueFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = from a in db.Assessments.AsNoTracking()
                    join r in db.AssessmentRounds.AsNoTracking() on a.RoundId equals r.Id
                    join u in db.Units.AsNoTracking() on a.UnitId equals u.Id
                    where a.Status != AssessmentStatus.Draft
                    select new { A = a, R = r, u.Name, u.Kind, u.SearchKey, u.ParentId };
        if (filter.RoundId is { } roundId) query = query.Where(x => x.R.Id == roundId);
        if (filter.Status is { } status) query = query.Where(x => x.A.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var folded = VietnameseText.Fold(filter.Search.Trim());
            query = query.Where(x => x.SearchKey.Contains(folded));
        }
        var rows = (await query.OrderBy(x => x.R.Year).ThenBy(x => x.Name).ToListAsync(ct)).Where(x => access.CanReadRound(x.R)).ToList();
        var parentIds = rows.Select(x => x.ParentId).OfType<int>().Distinct().ToList();
        var parents = (await db.Units.AsNoTracking().Where(u => parentIds.Contains(u.Id)).Select(u => new { u.Id, u.Kind, u.Name }).ToListAsync(ct))
            .ToDictionary(u => u.Id, u => $"{u.Kind.DisplayName()} {u.Name}");
        var today = Domain.VietnamTime.Today(clock);
        var allIds = rows.Select(x => x.A.Id).ToList();
        var extensions = await db.DeadlineExtensions.AsNoTracking().Where(e => allIds.Contains(e.AssessmentId))
            .ToDictionaryAsync(e => e.AssessmentId, e => e.NewDeadline, ct);

        var items = new List<ReviewQueueItem>();
        foreach (var group in rows.GroupBy(x => x.R.Id))
        {
            var round = group.First().R;
            var set = await sets.GetAsync(db, round.CriteriaSetVersionId, ct);
            var ids = group.Select(x => x.A.Id).ToList();
            var cohort = await scoring.LoadAsync(round.Id, ids, set, ct);
            var self = ReviewScoring.Score(set, cohort, ReviewScoring.Stage.Self, round.HasDistrictTier);
            var achieved = ReviewScoring.Score(set, cohort, ReviewScoring.Stage.Achieved, round.HasDistrictTier);
            foreach (var x in group)
            {
                var a = x.A;
                var actions = review.Actions(a, round);
                var actionable = actions.Count > 0 || review.AppraiseAs(a) is not null || review.CanVote(a);
                if (filter.View == QueueView.Actionable && !actionable) continue;
                var key = ReviewScoring.Key(a.Id);
                var s = self.Unit(key);
                var reviewed = cohort.Appraisals[a.Id].Any() || a.IsLocked;
                // A returned assessment waits for the unit: its own deadline (the policy's: extension, return window); else the tier's.
                var unitDeadline = a.Status == AssessmentStatus.Returned
                    ? Domain.Assessments.DeadlinePolicy.Decide(round.DeadlineFacts(a, extensions.TryGetValue(a.Id, out var ext) ? ext : null), today)
                    : null;
                var (deadline, label) = a.Status switch
                {
                    AssessmentStatus.Returned => (unitDeadline!.Deadline ?? round.EntryDeadline, Domain.Assessments.DeadlinePolicy.BasisLabel(unitDeadline.Basis)),
                    AssessmentStatus.Submitted or AssessmentStatus.UnderDistrictReview when round.HasDistrictTier => (round.ReviewDeadline, "Hạn thẩm tra"),
                    _ => (round.CouncilDeadline, "Hạn thẩm định"),
                };
                var done = a.Status is AssessmentStatus.Approved or AssessmentStatus.Published
                           || unitDeadline is { Basis: Domain.Assessments.DeadlineBasis.ReturnExempt };
                // Once approved the recognised result (DisplayedScore), as the list, the dashboards and the documents show it.
                var shown = DisplayedScore.Choose(a.Status, a.RecognisedTotal, a.RecognisedLevel, s, usesPoints: true);
                decimal? appraisedTotal = shown.Recognised ? shown.Total : reviewed ? achieved.Unit(key).Total : null;
                int? appraisedLevel = shown.Recognised ? shown.Level : reviewed ? achieved.Unit(key).Level : null;
                items.Add(new ReviewQueueItem(a.Id, round.Id, round.Name, round.Year, a.UnitId, $"{x.Kind.DisplayName()} {x.Name}", x.ParentId is { } p ? parents.GetValueOrDefault(p) : null,
                    a.Status, a.ReviewCycle, a.SubmittedAt, deadline, !done && deadline < today,
                    s.Missing.Count, s.Total, s.Level, appraisedTotal, appraisedLevel, actions,
                    label, done ? 0 : Math.Max(0, today.DayNumber - deadline.DayNumber), a.LateDays));
            }
        }
        return items;
    }
}
