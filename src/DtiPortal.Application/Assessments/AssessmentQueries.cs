using DtiPortal.Application.Data;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// Reads for data entry: the assessments in the user's scope, and one assessment's entry model filtered to what the user
/// may see and change. Scope comes from the tenancy filter (and RLS); the entry model adds role and assignment.
/// </summary>
public sealed class AssessmentQueries(IDbContextFactory<DtiDbContext> dbFactory, AssessmentAccess access, IServiceProvider services, TimeProvider clock)
{
    public const string ViewAction = "Xem bản đánh giá";

    /// <summary>The assessments of the units in the user's scope, newest round first, with the score each shows (<see cref="DisplayedScore"/>).</summary>
    public async Task<IReadOnlyList<AssessmentListItem>> ListMineAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (from a in db.Assessments.AsNoTracking()
                          join r in db.AssessmentRounds on a.RoundId equals r.Id
                          join u in db.Units on a.UnitId equals u.Id
                          orderby r.Year descending, r.Name, u.Name
                          select new { a.Id, a.RoundId, RoundName = r.Name, r.Year, a.UnitId, UnitName = u.Name, a.Status, r.EntryDeadline, a.SubmittedAt, r.CriteriaSetVersionId, Round = r, a.LateDays })
            .ToListAsync(ct);
        rows = rows.Where(r => access.CanReadRound(r.Round)).ToList();
        if (access.Role == EntryRole.Department && rows.Count > 0)
        {
            // A department officer lists only the assessments where some criterion is assigned to their department.
            var department = await access.DepartmentAsync(db, ct);
            var ids = rows.Select(r => r.Id).ToList();
            var assigned = (await db.CriterionAssignments.AsNoTracking().Where(x => ids.Contains(x.AssessmentId) && x.Department != null)
                    .Select(x => new { x.AssessmentId, x.Department }).ToListAsync(ct))
                .Where(x => CriterionAssignment.SameDepartment(x.Department, department)).Select(x => x.AssessmentId).ToHashSet();
            rows = rows.Where(r => assigned.Contains(r.Id)).ToList();
        }
        if (rows.Count == 0) return [];
        var sets = services.GetRequiredService<RoundSetCache>();
        var scoring = services.GetRequiredService<ScoreAssessment>();
        var recognised = await RecognisedAsync(db, rows.Where(r => DisplayedScore.ShowsRecognised(r.Status)).Select(r => r.Id).ToList(), ct);
        var shown = new Dictionary<int, ShownScore>();
        var levels = new Dictionary<int, IReadOnlyList<Domain.Criteria.MaturityLevel>>();
        foreach (var round in rows.GroupBy(r => r.RoundId))
        {
            // Issue 15: each unit scored with its round's cohort (as the entry page does), the recognised result once approved.
            var set = await sets.GetAsync(db, round.First().CriteriaSetVersionId, ct);
            var live = await scoring.CohortAsync(round.Key, set, round.Select(r => r.Id).ToList(), ct);
            foreach (var r in round)
            {
                var (total, level) = recognised.GetValueOrDefault(r.Id);
                levels[r.Id] = set.Set.Levels;
                shown[r.Id] = DisplayedScore.Choose(r.Status, total, level, live.GetValueOrDefault(r.Id), set.Set.MaxPoints is not null);
            }
        }
        var result = new List<AssessmentListItem>(rows.Count);
        foreach (var r in rows)
        {
            var s = shown[r.Id];
            result.Add(new AssessmentListItem(r.Id, r.RoundId, r.RoundName, r.Year, r.UnitId, r.UnitName, r.Status, r.EntryDeadline,
                s.Total, s.Level, r.SubmittedAt, r.LateDays) { LevelText = DisplayedScore.LevelText(s.Level, levels[r.Id]), Recognised = s.Recognised });
        }
        return result;
    }

    /// <summary>The recognised total and level of approved assessments: the assessment's copy, else its newest recognised result.</summary>
    private static async Task<Dictionary<int, (decimal? Total, int? Level)>> RecognisedAsync(DtiDbContext db, IReadOnlyList<int> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var copies = await db.Assessments.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.RecognisedTotal, a.RecognisedLevel }).ToListAsync(ct);
        var results = (await db.RecognisedResults.AsNoTracking().Where(x => ids.Contains(x.AssessmentId))
                .Select(x => new { x.AssessmentId, x.Version, x.Total, x.Level }).ToListAsync(ct))
            .GroupBy(x => x.AssessmentId).ToDictionary(g => g.Key, g => g.MaxBy(x => x.Version)!);
        return copies.ToDictionary(c => c.Id, c => c.RecognisedTotal is not null
            ? (c.RecognisedTotal, c.RecognisedLevel)
            : results.TryGetValue(c.Id, out var r) ? ((decimal?)r.Total, r.Level) : (null, null));
    }

    /// <summary>One assessment for the entry page. Throws <see cref="Tenancy.AccessDeniedException"/> when it is not the user's to see.</summary>
    public async Task<EntryModel> GetEntryAsync(int assessmentId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (assessment, round, set) = await access.LoadAsync(db, assessmentId, ViewAction, track: false, ct);
        var assignments = await AssessmentAccess.AssignmentsAsync(db, assessmentId, set, ct);
        var permissions = await access.PermissionsAsync(db, assessment, round, set, assignments, ct);
        var deadline = await AssessmentDeadlines.ReadAsync(db, assessment, round, clock, ct);
        var rows = await StoredValues.LoadAsync(db, [assessmentId], ct);

        // A department officer sees only its criteria's values, plus the general information they are computed from.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = rows
            .Where(r => r.Address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal)
                        || (set.CriterionOf.TryGetValue(r.Address, out var code) && permissions.Visible.Contains(code)))
            .Select(r => StoredValues.ToStored(r, set, names)).ToDictionary(v => v.Address, StringComparer.Ordinal);
        var lastEdited = rows
            .Where(r => set.CriterionOf.ContainsKey(r.Address) && permissions.Visible.Contains(set.CriterionOf[r.Address]))
            .GroupBy(r => set.CriterionOf[r.Address])
            .ToDictionary(g => g.Key, g => StoredValues.Shared(g.MaxBy(r => r.UpdatedAt)!.UpdatedByName, names), StringComparer.Ordinal);

        var summary = (await RoundAdmin.SummariesAsync(db, db.AssessmentRounds.AsNoTracking().Where(r => r.Id == round.Id), ct)).Single();
        var unitName = await db.Units.AsNoTracking().Where(u => u.Id == assessment.UnitId).Select(u => u.Name).SingleAsync(ct);
        IReadOnlyList<EvidenceItem> evidence = services.GetService<IEvidenceLister>() is { } lister
            ? (await lister.ListAsync(assessmentId, ct)).Where(e => permissions.Visible.Contains(e.CriterionCode)).ToList()
            : [];
        var visibleAssignments = assignments.Where(kv => permissions.Visible.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

        return new EntryModel(assessment.Id, summary, assessment.UnitId, unitName, assessment.Status, assessment.TargetLevel, set.Set,
            values, permissions.Visible, permissions.Editable, permissions.CanEditGeneral, visibleAssignments, lastEdited, evidence,
            ReadOnly: !permissions.CanEditNow,
            new EntryAbilities(
                Submit: permissions.CanEditNow && access.MaySubmit(assessment, round, deadline.Decision),
                EditGeneral: permissions.CanEditNow && permissions.CanEditGeneral),
            deadline);
    }
}
