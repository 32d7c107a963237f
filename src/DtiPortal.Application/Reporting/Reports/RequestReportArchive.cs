using System.Globalization;
using DtiPortal.Application.Audit;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Application.Reporting.Reports;

/// <summary>
/// Queues the job that renders the reports of every unit under a district or province for one round, plus the summary, into
/// one archive (<see cref="ReportJobWorker"/>). The user must be allowed to see the scope unit (<see cref="ReportQueries.DemandScopeAsync"/>,
/// refusals audited, nothing created). Asking again while the same user's job for the same round and scope is queued or
/// running returns that job instead of a second one. The request itself is audited.
/// </summary>
public sealed class RequestReportArchive(
    IDbContextFactory<DtiDbContext> dbFactory, ReportQueries reports, IUnitScope scope, IAuditLog audit, TimeProvider clock, ReportJobSignal signal)
{
    public const string Action = "Tạo báo cáo PDF cho tất cả đơn vị";

    public async Task<ReportJobView> HandleAsync(int roundId, int scopeUnitId, CancellationToken ct = default)
    {
        var round = await reports.DemandScopeAsync(roundId, scopeUnitId, Action, ct);
        var user = ReportJobQueries.Requester(scope);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.ReportJobs.AsNoTracking()
            .Where(j => j.RoundId == roundId && j.UnitId == scopeUnitId && j.RequestedBy == user
                        && (j.Status == ReportJobStatus.Queued || j.Status == ReportJobStatus.Running))
            .OrderByDescending(j => j.RequestedAt).FirstOrDefaultAsync(ct);
        if (existing is not null) return await ReportJobQueries.ViewAsync(db, existing, ct);

        var job = new ReportJob(Guid.NewGuid(), ReportJobKind.UnitReportsArchive, roundId, scopeUnitId, user, clock.GetUtcNow());
        db.ReportJobs.Add(job);
        await db.SaveChangesAsync(ct);
        var view = await ReportJobQueries.ViewAsync(db, job, ct);
        await audit.WriteAsync(new AuditEvent("ReportJobRequested", nameof(ReportJob), job.Id.ToString(), scopeUnitId,
            Detail: $"{Action}: {view.ScopeName}, {round.Name} (năm {round.Year.ToString(CultureInfo.InvariantCulture)})"), ct);
        signal.Wake();
        return view;
    }
}

/// <summary>Wakes this instance's worker as soon as a job is queued (other instances find it at their next poll).</summary>
public sealed class ReportJobSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try { _signal.Release(); }
        catch (SemaphoreFullException) { /* already awake */ }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
