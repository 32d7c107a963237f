using System.Data.Common;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using DtiPortal.Application.Data;
using DtiPortal.Application.Evidence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DtiPortal.Application.Reporting.Reports;

/// <summary>Configuration section <c>Reports</c>: the background report job (docs/user/bao-cao.md, docs/benchmarks.md).</summary>
public sealed class ReportJobSettings
{
    public const string Section = "Reports";

    /// <summary>Seconds between two looks for queued jobs (a request on this instance wakes it at once); 0 turns the worker off.</summary>
    public int IntervalSeconds { get; set; } = 5;
    /// <summary>A running job whose heartbeat is older than this (its instance died) is taken over by another instance.</summary>
    public int StaleSeconds { get; set; } = 120;
    /// <summary>Days a finished job and its archive are kept; older ones are deleted by the worker.</summary>
    public int RetentionDays { get; set; } = 7;
    /// <summary>PDFs rendered at the same time by one job (bounded again by Pdf:MaxConcurrent).</summary>
    public int Parallelism { get; set; } = 2;

    public TimeSpan Stale => TimeSpan.FromSeconds(Math.Max(10, StaleSeconds));

    public static ReportJobSettings Load(IConfiguration? configuration)
    {
        var settings = new ReportJobSettings();
        configuration?.GetSection(Section).Bind(settings);
        settings.IntervalSeconds = Math.Max(0, settings.IntervalSeconds);
        settings.RetentionDays = Math.Max(1, settings.RetentionDays);
        settings.Parallelism = Math.Clamp(settings.Parallelism, 1, 16);
        return settings;
    }
}

/// <summary>
/// Runs the report jobs (<see cref="RequestReportArchive"/>): claims the oldest queued job — or a running one whose heartbeat
/// is older than <see cref="ReportJobSettings.StaleSeconds"/>, taken over after its instance died — with one
/// <c>UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)</c>, so several app instances never run one job twice.
/// It then renders, as the system, the summary and the report of every assessment under the job's district or province,
/// writes them into a ZIP (a temporary file, then streamed into the evidence store under <c>reports/{jobId:N}.zip</c>, shared
/// between instances) and completes the job. Every unit done is a heartbeat (Done/Total for the page); every write checks that
/// this instance still holds the job (a row lock and <see cref="ReportJob.ClaimedBy"/>). A unit whose report fails does not
/// stop the job: the archive lists it in <c>Danh-sach-loi.txt</c>; the job fails only when nothing could be rendered.
/// On shutdown the job goes back to the queue.
/// </summary>
public sealed class ReportJobWorker(
    ISystemScopeFactory systemScopes, IReportRenderer renderer, IEvidenceStore store, ReportJobSettings settings, ReportJobSignal signal,
    TimeProvider clock, ILogger<ReportJobWorker> logger) : BackgroundService
{
    public const string FailuresFileName = "Danh-sach-loi.txt";
    private DateTimeOffset _lastCleanup = DateTimeOffset.MinValue;

    /// <summary>This worker's name in <see cref="ReportJob.ClaimedBy"/>: host, process and a random part (two workers of one process differ).</summary>
    public string Instance { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public static string ArchiveKey(Guid jobId) => $"reports/{jobId:N}.zip";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (settings.IntervalSeconds <= 0)
        {
            logger.LogInformation("Report jobs are off on this instance (Reports:IntervalSeconds = 0)");
            return;
        }
        var interval = TimeSpan.FromSeconds(settings.IntervalSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (await RunOnceAsync(stoppingToken)) { }
                    await CleanupAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Report jobs failed; retrying at the next run");
                }
                await signal.WaitAsync(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>Claims and runs one job. False when there was nothing to do.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        var id = await ClaimAsync(ct);
        if (id is null) return false;
        await ProcessAsync(id.Value, ct);
        return true;
    }

    /// <summary>Claims the oldest queued job, or a running one with a stale heartbeat, for this instance. Atomic across instances.</summary>
    public async Task<Guid?> ClaimAsync(CancellationToken ct)
    {
        await using var scope = systemScopes.CreateSystemScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = """
            update report_jobs set status = 'Running', claimed_by = @me, heartbeat_at = @now
            where id = (select id from report_jobs
                        where status = 'Queued' or (status = 'Running' and (heartbeat_at is null or heartbeat_at < @stale))
                        order by requested_at
                        limit 1
                        for update skip locked)
            returning id
            """;
        Add(cmd, "me", Instance);
        Add(cmd, "now", now);
        Add(cmd, "stale", now - settings.Stale);
        var result = await cmd.ExecuteScalarAsync(ct);
        return result is Guid id ? id : null;
    }

    /// <summary>Renders the claimed job's reports into its archive and completes (or fails) it.</summary>
    public async Task ProcessAsync(Guid jobId, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await using var scope = systemScopes.CreateSystemScope();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>();
        var reports = scope.ServiceProvider.GetRequiredService<ReportQueries>();
        ReportJob job;
        int year;
        string scopeName;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            job = await db.ReportJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            year = await db.AssessmentRounds.AsNoTracking().Where(r => r.Id == job.RoundId).Select(r => r.Year).SingleAsync(ct);
            scopeName = (await ReportJobQueries.ViewAsync(db, job, ct)).ScopeName;
        }
        try
        {
            var units = await reports.AssessmentsUnderAsync(job.RoundId, job.UnitId, ct);
            var total = units.Count + 1;
            if (!await UpdateAsync(dbFactory, jobId, j => j.Start(Instance, total, clock.GetUtcNow()), ct)) return;

            var temp = Path.Combine(Path.GetTempPath(), $"dti-report-{jobId:N}-{Guid.NewGuid().ToString("N")[..6]}.zip");
            await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            var failures = new List<string>();
            var done = 0;
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8))
            {
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                string Unique(string name)
                {
                    var candidate = name;
                    for (var i = 2; !names.Add(candidate); i++) candidate = $"{Path.GetFileNameWithoutExtension(name)}_{i}{Path.GetExtension(name)}";
                    return candidate;
                }

                async Task AddAsync(string label, string entryName, Task<byte[]> render)
                {
                    try
                    {
                        var pdf = await render;
                        var entry = zip.CreateEntry(Unique(entryName), CompressionLevel.Fastest);
                        entry.LastWriteTime = clock.GetUtcNow();
                        await using var s = entry.Open();
                        await s.WriteAsync(pdf, ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        logger.LogWarning(ex, "Report job {JobId}: the report of {Unit} failed", jobId, label);
                        failures.Add($"{label}: {(ex is Reviews.ReviewDocumentException or Tenancy.AccessDeniedException ? ex.Message : "lỗi khi tạo báo cáo (" + ex.GetType().Name + ").")}");
                    }
                    done++;
                    if (!await UpdateAsync(dbFactory, jobId, j => j.Progress(done, clock.GetUtcNow()), ct))
                        throw new LostClaimException();
                }

                // The summary first, then the units in a pipeline: models are read one at a time (one DI scope), PDFs print
                // up to Parallelism at once, and entries are written in order.
                var summaryName = SummaryFileName(scopeName, year);
                await AddAsync("Báo cáo tổng hợp", summaryName, RenderSummaryAsync(reports, job, ct));
                var inFlight = new Queue<(string Label, string Name, Task<byte[]> Render)>();
                foreach (var (assessmentId, unitName, _) in units)
                {
                    Task<byte[]> render;
                    try
                    {
                        var model = await reports.UnitAsync(assessmentId, audited: false, ct);
                        render = renderer.UnitReportPdfAsync(model, ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        render = Task.FromException<byte[]>(ex);
                    }
                    inFlight.Enqueue((unitName, ReportQueries.PdfName(unitName, year), render));
                    if (inFlight.Count >= settings.Parallelism)
                    {
                        var next = inFlight.Dequeue();
                        await AddAsync(next.Label, next.Name, next.Render);
                    }
                }
                while (inFlight.Count > 0)
                {
                    var next = inFlight.Dequeue();
                    await AddAsync(next.Label, next.Name, next.Render);
                }

                if (failures.Count == total)
                {
                    await UpdateAsync(dbFactory, jobId, j => j.Fail("Không tạo được báo cáo nào. " + failures[0], clock.GetUtcNow()), ct);
                    return;
                }
                if (failures.Count > 0)
                {
                    var entry = zip.CreateEntry(FailuresFileName, CompressionLevel.Fastest);
                    await using var s = entry.Open();
                    var text = $"Các báo cáo không tạo được ({failures.Count}/{total}). Vui lòng tạo lại sau hoặc báo quản trị viên.\r\n\r\n"
                               + string.Join("\r\n", failures.Select(f => "- " + f)) + "\r\n";
                    await s.WriteAsync(Encoding.UTF8.GetPreamble(), ct);
                    await s.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
                }
            }

            file.Position = 0;
            var key = ArchiveKey(jobId);
            var bytes = await store.WriteAsync(key, file, ct);
            if (!await UpdateAsync(dbFactory, jobId, j => j.Complete(key, bytes, clock.GetUtcNow()), ct)) return;
            logger.LogInformation("Report job {JobId}: {Count} PDF(s), {Failures} failure(s), {Bytes} bytes in {Ms} ms",
                jobId, total - failures.Count, failures.Count, bytes, watch.ElapsedMilliseconds);
        }
        catch (LostClaimException)
        {
            logger.LogWarning("Report job {JobId} was taken over by another instance; this one stops", jobId);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: back to the queue for this or another instance.
            await UpdateRawAsync(dbFactory, jobId, "update report_jobs set status = 'Queued', claimed_by = null where id = @id and claimed_by = @me and status = 'Running'");
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Report job {JobId} failed", jobId);
            var message = ex is Reviews.ReviewDocumentException or Tenancy.AccessDeniedException
                ? ex.Message
                : "Không tạo được báo cáo do lỗi của hệ thống. Vui lòng thử lại sau hoặc báo quản trị viên.";
            await UpdateAsync(dbFactory, jobId, j => j.Fail(message, clock.GetUtcNow()), CancellationToken.None);
        }
    }

    /// <summary>"Tong-hop_Huyen-Van-Lam_2024.pdf".</summary>
    public static string SummaryFileName(string scopeName, int year) => "Tong-hop_" + ReportQueries.PdfName(scopeName, year);

    private async Task<byte[]> RenderSummaryAsync(ReportQueries reports, ReportJob job, CancellationToken ct)
    {
        var model = await reports.SummaryAsync(job.RoundId, job.UnitId, audited: false, ct);
        return await renderer.SummaryReportPdfAsync(model, ct);
    }

    /// <summary>Deletes the jobs (and archives) finished more than RetentionDays ago; at most once an hour per instance.</summary>
    public async Task<int> CleanupAsync(CancellationToken ct, bool force = false)
    {
        var now = clock.GetUtcNow();
        if (!force && now - _lastCleanup < TimeSpan.FromHours(1)) return 0;
        _lastCleanup = now;
        await using var scope = systemScopes.CreateSystemScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync(ct);
        var cutoff = now - TimeSpan.FromDays(settings.RetentionDays);
        var old = await db.ReportJobs.Where(j => j.FinishedAt != null && j.FinishedAt < cutoff).ToListAsync(ct);
        foreach (var j in old)
            if (j.ArchiveKey is { } key) await store.DeleteAsync(key, ct);
        db.ReportJobs.RemoveRange(old);
        await db.SaveChangesAsync(ct);
        if (old.Count > 0) logger.LogInformation("Deleted {Count} report job(s) older than {Days} days", old.Count, settings.RetentionDays);
        return old.Count;
    }

    /// <summary>Applies a change to the job under a row lock, only while this instance holds it. False when it does not any more.</summary>
    private async Task<bool> UpdateAsync(IDbContextFactory<DtiDbContext> dbFactory, Guid jobId, Action<ReportJob> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var job = (await db.ReportJobs.FromSql($"select * from report_jobs where id = {jobId} for update").ToListAsync(ct)).SingleOrDefault();
        if (job is null || job.ClaimedBy != Instance || job.Status != ReportJobStatus.Running) return false;
        change(job);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    private async Task UpdateRawAsync(IDbContextFactory<DtiDbContext> dbFactory, Guid jobId, string sql)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            await db.Database.OpenConnectionAsync(CancellationToken.None);
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.CommandText = sql;
            Add(cmd, "id", jobId);
            Add(cmd, "me", Instance);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not put report job {JobId} back in the queue; another instance takes it over when its heartbeat is stale", jobId);
        }
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private sealed class LostClaimException : Exception;
}
