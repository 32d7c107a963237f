using System.Collections.Concurrent;
using System.IO.Compression;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Reporting.Reports;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Scoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Reports;

/// <summary>
/// Issue 7's report job on a real PostgreSQL and the real headless Chromium: a district's archive (one PDF per unit plus the
/// summary, Vietnamese text intact, the total the engine computes), scope refusals, claiming across instances, takeover.
/// Tests that insert jobs by hand delete them again, so no other test's worker picks them up.
/// </summary>
public sealed class ReportJobTests(ReportFixture f) : IClassFixture<ReportFixture>
{
    [Fact]
    public async Task Job_OverADistrict_RunsToCompletion_WithOnePdfPerUnitAndTheSummary()
    {
        await f.ClearJobsAsync();
        var reviewer = f.Review.Reviewer();
        var job = await f.AsAsync<RequestReportArchive, ReportJobView>(reviewer, r => r.HandleAsync(f.RoundId, f.Units["D"]));
        Assert.Equal(ReportJobStatus.Queued, job.Status);
        Assert.Equal("Huyện Văn Lâm", job.ScopeName);
        // Asking again while it waits returns the same job.
        var again = await f.AsAsync<RequestReportArchive, ReportJobView>(reviewer, r => r.HandleAsync(f.RoundId, f.Units["D"]));
        Assert.Equal(job.Id, again.Id);

        var worker = f.Worker("instance-a");
        Assert.True(await worker.RunOnceAsync(CancellationToken.None));
        Assert.False(await worker.RunOnceAsync(CancellationToken.None)); // nothing left

        var done = await f.AsAsync<ReportJobQueries, ReportJobView?>(reviewer, q => q.GetAsync(job.Id));
        Assert.NotNull(done);
        Assert.True(done.Status == ReportJobStatus.Completed, done.Error);
        Assert.Equal(4, done.Total); // three communes + the summary
        Assert.Equal(done.Total, done.Done);
        var recent = await f.AsAsync<ReportJobQueries, IReadOnlyList<ReportJobView>>(reviewer, q => q.RecentAsync(f.RoundId, f.Units["D"]));
        Assert.Equal(job.Id, Assert.Single(recent).Id);

        await using var s = f.ScopeAs(reviewer);
        var archive = await s.ServiceProvider.GetRequiredService<ReportJobQueries>().OpenArchiveAsync(job.Id);
        Assert.NotNull(archive);
        Assert.Equal("Bao-cao_Huyen-Van-Lam_2024.zip", archive.FileName);
        var entries = new Dictionary<string, byte[]>();
        await using (archive.Content)
        using (var zip = new ZipArchive(archive.Content, ZipArchiveMode.Read))
        {
            foreach (var e in zip.Entries)
            {
                using var ms = new MemoryStream();
                await using (var es = e.Open()) await es.CopyToAsync(ms);
                entries[e.FullName] = ms.ToArray();
            }
        }
        Assert.Equal(
            ["Thi-tran-Trung-Trac_2024.pdf", "Tong-hop_Huyen-Van-Lam_2024.pdf", "Xa-Lac-Dao_2024.pdf", "Xa-Nhu-Quynh_2024.pdf"],
            entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(entries.Values, pdf => Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4)));

        var lacDao = await ReportFixture.PdfTextAsync(entries["Xa-Lac-Dao_2024.pdf"]);
        var total = await f.SelfTotalAsync(f.Assessments["C1"]);
        Assert.True(total > 0);
        foreach (var phrase in new[]
                 {
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN XÃ LẠC ĐẠO",
                     "Kết quả đánh giá chuyển đổi số năm 2024 của xã Lạc Đạo", "Xã Lạc Đạo, Huyện Văn Lâm, Tỉnh Hưng Yên",
                     $"Tổng điểm tự đánh giá: {VnFormat.Number(total)}/100 điểm", "Điểm tự đánh giá", "Tài liệu kiểm chứng",
                     "Trưởng Ban chỉ đạo chuyển đổi số", "Tỷ lệ hộ gia đình dùng dịch vụ số",
                 })
            Assert.True(lacDao.Contains(phrase, StringComparison.Ordinal), $"'{phrase}' missing from:\n{lacDao}");

        var summary = await ReportFixture.PdfTextAsync(entries["Tong-hop_Huyen-Van-Lam_2024.pdf"]);
        foreach (var phrase in new[] { "BÁO CÁO TỔNG HỢP", "ỦY BAN NHÂN DÂN HUYỆN VĂN LÂM", "huyện Văn Lâm", "Xã Như Quỳnh", "Thị trấn Trưng Trắc", "BẢNG XẾP HẠNG" })
            Assert.True(summary.Contains(phrase, StringComparison.Ordinal), $"'{phrase}' missing from:\n{summary}");

        await using var owner = f.Review.Entry.Db.OwnerContext();
        Assert.True(await owner.AuditLog.AnyAsync(a => a.Action == "ReportJobRequested" && a.EntityId == job.Id.ToString()));
        Assert.True(await owner.AuditLog.AnyAsync(a => a.Action == "ReportArchiveDownload" && a.EntityId == job.Id.ToString()));
    }

    [Fact]
    public async Task UserOfAnotherProvince_CannotRequestSeeOrDownload_AndNothingIsCreated()
    {
        await f.ClearJobsAsync();
        // A completed job of district D, with its archive in the store.
        var id = Guid.NewGuid();
        await using (var owner = f.Review.Entry.Db.OwnerContext())
        {
            var job = new ReportJob(id, ReportJobKind.UnitReportsArchive, f.RoundId, f.Units["D"], "reviewer-d", DateTimeOffset.UtcNow);
            job.Start("instance-x", 1, DateTimeOffset.UtcNow);
            job.Complete(ReportJobWorker.ArchiveKey(id), 3, DateTimeOffset.UtcNow);
            owner.ReportJobs.Add(job);
            await owner.SaveChangesAsync();
        }
        await f.Services.GetRequiredService<IEvidenceStore>().WriteAsync(ReportJobWorker.ArchiveKey(id), new MemoryStream([1, 2, 3]));

        var stranger = f.Review.Entry.ProvincialAdmin("Q");
        var communeOfficer = f.Review.Officer("C1");
        foreach (var who in new[] { stranger, communeOfficer })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => f.AsAsync<RequestReportArchive, ReportJobView>(who, r => r.HandleAsync(f.RoundId, f.Units["D"])));
            await Assert.ThrowsAsync<AccessDeniedException>(() => f.AsAsync<ReportQueries, SummaryReportModel>(who, q => q.SummaryAsync(f.RoundId, f.Units["D"])));
            Assert.Null(await f.AsAsync<ReportJobQueries, ReportArchive?>(who, q => q.OpenArchiveAsync(id)));
            Assert.Null(await f.AsAsync<ReportJobQueries, ReportJobView?>(who, q => q.GetAsync(id)));
        }
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.AsAsync<ReportQueries, UnitReportModel>(stranger, q => q.UnitAsync(f.Assessments["C1"])));
        // A district reviewer may not ask for the whole province either.
        await Assert.ThrowsAsync<AccessDeniedException>(() => f.AsAsync<RequestReportArchive, ReportJobView>(f.Review.Reviewer(), r => r.HandleAsync(f.RoundId, f.Units["P"])));

        await using (var owner = f.Review.Entry.Db.OwnerContext())
        {
            Assert.Equal(1, await owner.ReportJobs.CountAsync());
            Assert.True(await owner.AuditLog.CountAsync(a => a.Action == "AccessDenied" && a.UserId == "admin-Q") >= 3);
        }
        // Its own reviewer gets the archive.
        var mine = await f.AsAsync<ReportJobQueries, ReportArchive?>(f.Review.Reviewer(), q => q.OpenArchiveAsync(id));
        Assert.NotNull(mine);
        await mine.Content.DisposeAsync();
        await f.ClearJobsAsync();
    }

    [Fact]
    public async Task TwoInstances_ClaimingAtTheSameTime_NeverClaimOneJobTwice()
    {
        await f.ClearJobsAsync();
        await using (var owner = f.Review.Entry.Db.OwnerContext())
        {
            var at = DateTimeOffset.UtcNow.AddMinutes(-1);
            for (var i = 0; i < 30; i++)
                owner.ReportJobs.Add(new ReportJob(Guid.NewGuid(), ReportJobKind.UnitReportsArchive, f.RoundId, f.Units["D"], "reviewer-d", at.AddMilliseconds(i)));
            await owner.SaveChangesAsync();
        }
        try
        {
            var claims = new ConcurrentBag<(string Instance, Guid Job)>();
            async Task Loop(ReportJobWorker worker)
            {
                while (await worker.ClaimAsync(CancellationToken.None) is { } job) claims.Add((worker.Instance, job));
            }
            var a = f.Worker("instance-a");
            var b = f.Worker("instance-b");
            await Task.WhenAll(Task.Run(() => Loop(a)), Task.Run(() => Loop(b)), Task.Run(() => Loop(a)), Task.Run(() => Loop(b)));

            Assert.Equal(30, claims.Count);
            Assert.Equal(30, claims.Select(c => c.Job).Distinct().Count());
            await using var owner = f.Review.Entry.Db.OwnerContext();
            var rows = await owner.ReportJobs.AsNoTracking().ToListAsync();
            Assert.All(rows, r => Assert.Equal(ReportJobStatus.Running, r.Status));
            Assert.All(rows, r => Assert.Equal(claims.Single(c => c.Job == r.Id).Instance, r.ClaimedBy));
        }
        finally
        {
            await f.ClearJobsAsync();
        }
    }

    [Fact]
    public async Task RunningJobWithAStaleHeartbeat_IsTakenOver_AFreshOneIsNot()
    {
        await f.ClearJobsAsync();
        var stale = Guid.NewGuid();
        var fresh = Guid.NewGuid();
        await using (var owner = f.Review.Entry.Db.OwnerContext())
        {
            var old = new ReportJob(stale, ReportJobKind.UnitReportsArchive, f.RoundId, f.Units["D"], "reviewer-d", DateTimeOffset.UtcNow.AddMinutes(-20));
            old.Start("crashed-instance", 4, DateTimeOffset.UtcNow.AddMinutes(-10));
            old.Progress(2, DateTimeOffset.UtcNow.AddMinutes(-10));
            var alive = new ReportJob(fresh, ReportJobKind.UnitReportsArchive, f.RoundId, f.Units["D"], "reviewer-d", DateTimeOffset.UtcNow.AddMinutes(-30));
            alive.Start("alive-instance", 4, DateTimeOffset.UtcNow.AddMinutes(-5));
            alive.Progress(1, DateTimeOffset.UtcNow.AddSeconds(-5));
            owner.ReportJobs.AddRange(old, alive);
            await owner.SaveChangesAsync();
        }
        try
        {
            var worker = f.Worker("instance-c");
            Assert.Equal(stale, await worker.ClaimAsync(CancellationToken.None));
            Assert.Null(await worker.ClaimAsync(CancellationToken.None));

            // The taken-over job runs to the end on the new instance.
            await worker.ProcessAsync(stale, CancellationToken.None);
            await using var owner = f.Review.Entry.Db.OwnerContext();
            var jobs = await owner.ReportJobs.AsNoTracking().ToDictionaryAsync(j => j.Id);
            Assert.Equal(ReportJobStatus.Completed, jobs[stale].Status);
            Assert.Equal("instance-c", jobs[stale].ClaimedBy);
            Assert.Equal(4, jobs[stale].Done);
            Assert.Equal(ReportJobStatus.Running, jobs[fresh].Status);
            Assert.Equal("alive-instance", jobs[fresh].ClaimedBy);
        }
        finally
        {
            await f.ClearJobsAsync();
        }
    }

    [Fact]
    public async Task OneUnitFailing_DoesNotStopTheJob_TheArchiveListsIt()
    {
        await f.ClearJobsAsync();
        var job = await f.AsAsync<RequestReportArchive, ReportJobView>(f.Review.Admin(), r => r.HandleAsync(f.RoundId, f.Units["D"]));
        var renderer = new FailingFor("Xã Như Quỳnh", f.Services.GetRequiredService<IReportRenderer>());
        try
        {
            Assert.True(await f.Worker("instance-d", renderer).RunOnceAsync(CancellationToken.None));
            var view = await f.AsAsync<ReportJobQueries, ReportJobView?>(f.Review.Admin(), q => q.GetAsync(job.Id));
            Assert.Equal(ReportJobStatus.Completed, view!.Status);
            var archive = await f.AsAsync<ReportJobQueries, ReportArchive?>(f.Review.Admin(), q => q.OpenArchiveAsync(job.Id));
            await using var content = archive!.Content;
            using var zip = new ZipArchive(content, ZipArchiveMode.Read);
            Assert.DoesNotContain(zip.Entries, e => e.FullName == "Xa-Nhu-Quynh_2024.pdf");
            Assert.Contains(zip.Entries, e => e.FullName == "Xa-Lac-Dao_2024.pdf");
            using var reader = new StreamReader(zip.GetEntry(ReportJobWorker.FailuresFileName)!.Open());
            var text = await reader.ReadToEndAsync();
            Assert.Contains("Xã Như Quỳnh: Chromium không phản hồi (thử nghiệm).", text);
            Assert.Contains("(1/4)", text);
        }
        finally
        {
            await f.ClearJobsAsync();
        }
    }

    private sealed class FailingFor(string unitName, IReportRenderer inner) : IReportRenderer
    {
        public Task<byte[]> UnitReportPdfAsync(UnitReportModel model, CancellationToken ct = default) => model.UnitName == unitName
            ? Task.FromException<byte[]>(new ReviewDocumentException("Chromium không phản hồi (thử nghiệm)."))
            : inner.UnitReportPdfAsync(model, ct);

        public Task<byte[]> SummaryReportPdfAsync(SummaryReportModel model, CancellationToken ct = default) => inner.SummaryReportPdfAsync(model, ct);
    }
}
