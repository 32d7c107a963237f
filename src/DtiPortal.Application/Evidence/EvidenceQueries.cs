using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Evidence;

/// <summary>
/// Reads an assessment's evidence for the entry and review pages: what the user may see (tenancy filter and RLS), deleted
/// items left out, and for each file where else (in the user's scope) the same bytes are attached.
/// </summary>
public sealed class EvidenceQueries(IDbContextFactory<DtiDbContext> dbFactory) : IEvidenceLister
{
    public async Task<IReadOnlyList<EvidenceItem>> ListAsync(int assessmentId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Set<EvidenceFile>().AsNoTracking()
            .Where(e => e.AssessmentId == assessmentId && e.DeletedAt == null)
            .OrderBy(e => e.CriterionCode).ThenBy(e => e.UploadedAt).ThenBy(e => e.Id)
            .ToListAsync(ct);
        var shas = rows.Where(r => r.Sha256 is not null).Select(r => r.Sha256!).Distinct().ToList();
        var places = shas.Count == 0 ? [] : await PlacesWithIdsAsync(db, shas, ct);
        return [.. rows.Select(r => new EvidenceItem(
            r.Id, r.CriterionCode, r.Kind, r.FileName, r.ContentType, r.Size, r.Url, r.DocNumber, r.IssuedOn, r.Issuer, r.Summary,
            r.UploadedAt, r.UploadedBy, r.Sha256 ?? r.Url ?? "",
            r.Sha256 is not null && places.TryGetValue(r.Sha256, out var list)
                ? [.. list.Where(p => p.Id != r.Id).Select(p => p.Text).Distinct()]
                : []))];
    }

    /// <summary>Whether the file can be shown in the page (PDF and images).</summary>
    public static bool IsPreviewable(string? contentType) =>
        contentType is not null && FileTypes.All.Any(t => t.Previewable && t.ContentType == contentType);

    /// <summary>For each SHA-256, the other places holding it: "tiêu chí 3.1 (đánh giá năm 2024)".</summary>
    internal static async Task<Dictionary<string, List<string>>> PlacesOf(DtiDbContext db, IReadOnlyCollection<string> shas, int exceptId, CancellationToken ct)
    {
        var places = await PlacesWithIdsAsync(db, shas, ct);
        return places.ToDictionary(p => p.Key, p => p.Value.Where(x => x.Id != exceptId).Select(x => x.Text).Distinct().ToList());
    }

    private static async Task<Dictionary<string, List<(int Id, string Text)>>> PlacesWithIdsAsync(DtiDbContext db, IReadOnlyCollection<string> shas, CancellationToken ct)
    {
        var rows = await (
                from e in db.Set<EvidenceFile>().AsNoTracking()
                join a in db.Assessments on e.AssessmentId equals a.Id
                where e.Sha256 != null && shas.Contains(e.Sha256) && e.DeletedAt == null
                orderby a.Round!.Year descending, e.CriterionCode, e.Id
                select new { e.Id, Sha = e.Sha256!, e.CriterionCode, a.Round!.Year })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.Sha).ToDictionary(g => g.Key,
            g => g.Select(r => (r.Id, $"tiêu chí {r.CriterionCode} (đánh giá năm {r.Year})")).ToList());
    }
}
