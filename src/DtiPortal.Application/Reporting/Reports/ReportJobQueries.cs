using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Reporting.Reports;

/// <summary>
/// The report jobs as the page and the download endpoint see them. report_jobs has row-level security on the scope unit, so
/// a job of a district or province outside the user's scope is invisible (answered like one that does not exist).
/// </summary>
public sealed class ReportJobQueries(IDbContextFactory<DtiDbContext> dbFactory, IUnitScope scope, IEvidenceStore store, IAuditLog audit)
{
    public const string DownloadAction = "Tải tệp nén báo cáo PDF";
    public const string NotFound = "Không tìm thấy tệp nén báo cáo này (chưa hoàn thành, đã hết hạn lưu, hoặc nằm ngoài phạm vi của bạn).";

    /// <summary>Who asked, as stored in <see cref="ReportJob.RequestedBy"/>: the user's id (the name for a scope without one).</summary>
    public static string Requester(IUnitScope scope) => scope.UserId ?? scope.UserName ?? "system";

    /// <summary>The user's most recent jobs for a round and scope unit, newest first.</summary>
    public async Task<IReadOnlyList<ReportJobView>> RecentAsync(int roundId, int scopeUnitId, int take = 5, CancellationToken ct = default)
    {
        var user = Requester(scope);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var jobs = await db.ReportJobs.AsNoTracking()
            .Where(j => j.RoundId == roundId && j.UnitId == scopeUnitId && j.RequestedBy == user)
            .OrderByDescending(j => j.RequestedAt).Take(take).ToListAsync(ct);
        var views = new List<ReportJobView>(jobs.Count);
        foreach (var j in jobs) views.Add(await ViewAsync(db, j, ct));
        return views;
    }

    /// <summary>One job, or null when it does not exist or is outside the user's scope.</summary>
    public async Task<ReportJobView?> GetAsync(Guid jobId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ReportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
        return job is null ? null : await ViewAsync(db, job, ct);
    }

    /// <summary>The archive of a completed job the user may see; null otherwise (the refusal is audited). Audits the download.</summary>
    public async Task<ReportArchive?> OpenArchiveAsync(Guid jobId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ReportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, ct);
        var stream = job is { Status: ReportJobStatus.Completed, ArchiveKey: { } key } ? await store.OpenReadAsync(key, ct) : null;
        if (job is null || stream is null)
        {
            await audit.RefusedAsync(DownloadAction, NotFound, job?.UnitId, nameof(ReportJob), jobId.ToString(), ct);
            return null;
        }
        var view = await ViewAsync(db, job, ct);
        await audit.WriteAsync(new AuditEvent("ReportArchiveDownload", nameof(ReportJob), jobId.ToString(), job.UnitId,
            Detail: $"{DownloadAction}: {view.ScopeName}, {view.RoundName}"), ct);
        return new ReportArchive(ArchiveName(view.ScopeName, await YearAsync(db, job.RoundId, ct)), stream);
    }

    /// <summary>"Bao-cao_Huyen-Van-Lam_2024.zip".</summary>
    public static string ArchiveName(string scopeName, int year) => $"Bao-cao_{ReportQueries.AsciiSlug(scopeName)}_{year}.zip";

    private static Task<int> YearAsync(DtiDbContext db, int roundId, CancellationToken ct) =>
        db.AssessmentRounds.AsNoTracking().Where(r => r.Id == roundId).Select(r => r.Year).SingleAsync(ct);

    internal static async Task<ReportJobView> ViewAsync(DtiDbContext db, ReportJob j, CancellationToken ct)
    {
        var round = await db.AssessmentRounds.AsNoTracking().Where(r => r.Id == j.RoundId).Select(r => r.Name).SingleOrDefaultAsync(ct) ?? "";
        var unit = await db.Units.AsNoTracking().Where(u => u.Id == j.UnitId).Select(u => new { u.Kind, u.Name }).SingleOrDefaultAsync(ct);
        return new ReportJobView(j.Id, j.RoundId, round, j.UnitId, unit is null ? "" : $"{unit.Kind.DisplayName()} {unit.Name}", j.Status, j.Done, j.Total,
            j.RequestedAt, j.FinishedAt, j.ArchiveBytes, j.Error);
    }
}
