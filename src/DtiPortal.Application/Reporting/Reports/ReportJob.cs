using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Reporting.Reports;

/// <summary>What a report job produces (issue 7).</summary>
public enum ReportJobKind
{
    /// <summary>One PDF per unit of the scope (its assessment report) plus the scope's summary, in one ZIP archive.</summary>
    UnitReportsArchive,
}

public enum ReportJobStatus { Queued, Running, Completed, Failed }

/// <summary>
/// A background report job: a user asks for the reports of every unit under a district or province for one round, a
/// background worker (one instance at a time, claimed with <c>FOR UPDATE SKIP LOCKED</c>) renders them and stores one
/// archive in the evidence store (shared between instances), and the page shows <see cref="Done"/> of <see cref="Total"/>.
/// Unit-owned (row-level security on <see cref="UnitId"/>, the scope unit): whoever may see that unit may see the job.
/// </summary>
public sealed class ReportJob
{
    private ReportJob() { } // EF

    public ReportJob(Guid id, ReportJobKind kind, int roundId, int unitId, string requestedBy, DateTimeOffset requestedAt)
    {
        Id = id;
        Kind = kind;
        RoundId = roundId;
        UnitId = unitId;
        RequestedBy = requestedBy;
        RequestedAt = requestedAt;
        Status = ReportJobStatus.Queued;
    }

    public Guid Id { get; private set; }
    public ReportJobKind Kind { get; private set; }
    public int RoundId { get; private set; }
    /// <summary>The district or province whose units the archive covers.</summary>
    public int UnitId { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public ReportJobStatus Status { get; private set; }
    public int Total { get; private set; }
    public int Done { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }
    /// <summary>Which instance is working on it, and when it last said so (a job whose heartbeat is stale is taken over).</summary>
    public string? ClaimedBy { get; private set; }
    public DateTimeOffset? HeartbeatAt { get; private set; }
    /// <summary>Where the archive is in the evidence store, and its size.</summary>
    public string? ArchiveKey { get; private set; }
    public long? ArchiveBytes { get; private set; }
    /// <summary>A Vietnamese message for the user when <see cref="Status"/> is Failed.</summary>
    public string? Error { get; private set; }

    public void Start(string instance, int total, DateTimeOffset now)
    {
        Status = ReportJobStatus.Running;
        ClaimedBy = instance;
        Total = total;
        Done = 0;
        StartedAt = now;
        HeartbeatAt = now;
        Error = null;
    }

    public void Progress(int done, DateTimeOffset now)
    {
        Done = Math.Min(done, Total);
        HeartbeatAt = now;
    }

    public void Complete(string archiveKey, long bytes, DateTimeOffset now)
    {
        Status = ReportJobStatus.Completed;
        Done = Total;
        ArchiveKey = archiveKey;
        ArchiveBytes = bytes;
        FinishedAt = now;
        HeartbeatAt = now;
    }

    public void Fail(string error, DateTimeOffset now)
    {
        Status = ReportJobStatus.Failed;
        Error = error.Length > 2000 ? error[..2000] : error;
        FinishedAt = now;
        HeartbeatAt = now;
    }
}

internal sealed class ReportJobConfiguration : IEntityTypeConfiguration<ReportJob>
{
    public void Configure(EntityTypeBuilder<ReportJob> b)
    {
        b.ToTable("report_jobs");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
        b.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.RoundId).HasColumnName("round_id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.RequestedBy).HasColumnName("requested_by").HasMaxLength(450).IsRequired();
        b.Property(x => x.RequestedAt).HasColumnName("requested_at");
        b.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.Total).HasColumnName("total");
        b.Property(x => x.Done).HasColumnName("done");
        b.Property(x => x.StartedAt).HasColumnName("started_at");
        b.Property(x => x.FinishedAt).HasColumnName("finished_at");
        b.Property(x => x.ClaimedBy).HasColumnName("claimed_by").HasMaxLength(200);
        b.Property(x => x.HeartbeatAt).HasColumnName("heartbeat_at");
        b.Property(x => x.ArchiveKey).HasColumnName("archive_key").HasMaxLength(500);
        b.Property(x => x.ArchiveBytes).HasColumnName("archive_bytes");
        b.Property(x => x.Error).HasColumnName("error").HasMaxLength(2000);
        b.HasIndex(x => new { x.Status, x.RequestedAt });
        b.HasIndex(x => new { x.UnitId, x.RoundId });
    }
}
