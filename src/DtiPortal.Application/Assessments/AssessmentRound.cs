using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// A yearly assessment round (đợt đánh giá) of one province for one unit level, on one stored criteria set version.
/// Reference data, not unit-owned: every unit under the province reads it, so the use cases check that the reader's unit
/// lies under <see cref="ProvinceUnitId"/> (RLS protects the assessments themselves). Whether a district tier reviews
/// between the commune and the council is the round's (<see cref="HasDistrictTier"/>), not code: since 1/7/2025 most
/// provinces have no districts.
/// </summary>
public sealed class AssessmentRound
{
    private AssessmentRound() { } // EF

    public AssessmentRound(int year, string name, int criteriaSetVersionId, int provinceUnitId, string levelCode,
        DateOnly entryDeadline, DateOnly reviewDeadline, DateOnly councilDeadline, bool hasDistrictTier, DateTimeOffset now, string? createdBy)
    {
        Year = year;
        Name = name.Trim();
        CriteriaSetVersionId = criteriaSetVersionId;
        ProvinceUnitId = provinceUnitId;
        LevelCode = levelCode;
        EntryDeadline = entryDeadline;
        ReviewDeadline = reviewDeadline;
        CouncilDeadline = councilDeadline;
        HasDistrictTier = hasDistrictTier;
        Status = RoundStatus.Open;
        CreatedAt = now;
        CreatedBy = createdBy;
    }

    /// <summary>A round on a version not stored yet (both are inserted together; tests and seeding).</summary>
    public AssessmentRound(Criteria.CriteriaSetVersion version, int year, string name, int provinceUnitId, string levelCode,
        DateOnly entryDeadline, DateOnly reviewDeadline, DateOnly councilDeadline, bool hasDistrictTier, DateTimeOffset now, string? createdBy)
        : this(year, name, version.Id, provinceUnitId, levelCode, entryDeadline, reviewDeadline, councilDeadline, hasDistrictTier, now, createdBy)
    {
        SetVersion = version;
    }

    public int Id { get; private set; }
    public Criteria.CriteriaSetVersion? SetVersion { get; private set; }
    public int Year { get; private set; }
    public string Name { get; private set; } = "";
    public int CriteriaSetVersionId { get; private set; }
    public int ProvinceUnitId { get; private set; }
    /// <summary>The unit level it covers (commune, district), as in unit_levels.</summary>
    public string LevelCode { get; private set; } = "";
    public DateOnly EntryDeadline { get; private set; }
    public DateOnly ReviewDeadline { get; private set; }
    public DateOnly CouncilDeadline { get; private set; }
    public bool HasDistrictTier { get; private set; }
    public RoundStatus Status { get; private set; }
    public string? ClosedReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string? CreatedBy { get; private set; }
    public uint RowVersion { get; private set; }
    /// <summary>When the round's approved results were published (made public), and by whom.</summary>
    public DateTimeOffset? PublishedAt { get; private set; }
    public string? PublishedBy { get; private set; }
    /// <summary>The last number given to a recognition decision of this round (numbers are 1, 2, 3 … per round).</summary>
    public int LastDocumentNumber { get; private set; }

    public bool IsOpen => Status == RoundStatus.Open;

    /// <summary>"Cho phép nộp muộn": after the deadline, entry goes on and a submission is accepted but marked late.</summary>
    public bool AllowLateSubmission { get; private set; }
    /// <summary>Days a returned assessment has to resubmit, from the return (0: returns are exempt from deadlines).</summary>
    public int ResubmitDays { get; private set; } = DefaultResubmitDays;

    public const int DefaultResubmitDays = 10;
    public const int MaxResubmitDays = 90;

    /// <summary>The round's deadline rules (issue 15): accept late submissions or not, and the window after a return.</summary>
    public void SetDeadlineRules(bool allowLateSubmission, int resubmitDays)
    {
        if (resubmitDays is < 0 or > MaxResubmitDays)
            throw new DomainException($"Số ngày bổ sung sau khi trả lại phải từ 0 đến {MaxResubmitDays} (0: không giới hạn).");
        AllowLateSubmission = allowLateSubmission;
        ResubmitDays = resubmitDays;
    }

    /// <summary>The <see cref="Domain.Assessments.DeadlinePolicy"/>'s facts for one of the round's assessments.</summary>
    public Domain.Assessments.DeadlineFacts DeadlineFacts(Assessment assessment, DateOnly? unitExtension) =>
        new(EntryDeadline, unitExtension, AllowLateSubmission,
            assessment.Status == Domain.Assessments.AssessmentStatus.Returned && assessment.ReturnedAt is { } at ? DateOnly.FromDateTime(at.ToOffset(Domain.VietnamTime.Offset).DateTime) : null,
            ResubmitDays);

    public void Close(string reason)
    {
        if (Status == RoundStatus.Closed) throw new DomainException("Đợt đánh giá đã khóa từ trước.");
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainException("Nhập lý do khóa đợt đánh giá.");
        Status = RoundStatus.Closed;
        ClosedReason = reason.Trim();
    }

    public void MarkPublished(DateTimeOffset now, string? by)
    {
        PublishedAt = now;
        PublishedBy = by;
    }

    /// <summary>
    /// Sets the three deadlines at once, in order. No page offers it (administrators extend, <see cref="Extend"/>): the demo's
    /// finished round runs its workflow while its deadlines lie ahead, then is dated back (<c>DemoAssessments</c>).
    /// </summary>
    internal void Reschedule(DateOnly entryDeadline, DateOnly reviewDeadline, DateOnly councilDeadline)
    {
        if (reviewDeadline < entryDeadline || councilDeadline < reviewDeadline)
            throw new DomainException("Hạn thẩm tra phải bằng hoặc sau hạn nhập số liệu, hạn thẩm định bằng hoặc sau hạn thẩm tra.");
        EntryDeadline = entryDeadline;
        ReviewDeadline = reviewDeadline;
        CouncilDeadline = councilDeadline;
    }

    /// <summary>
    /// Moves the entry deadline later (and reopens a closed round: an extension is for entering figures). A new entry
    /// deadline past the review deadline moves the review and council deadlines by as many days, keeping the time each tier
    /// had (issue 15: a round whose every deadline has passed can still be extended).
    /// </summary>
    public void Extend(DateOnly newEntryDeadline, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainException("Nhập lý do gia hạn.");
        if (newEntryDeadline <= EntryDeadline)
            throw new DomainException($"Hạn nhập mới phải sau hạn hiện tại ({EntryDeadline:dd/MM/yyyy}).");
        if (newEntryDeadline > ReviewDeadline)
        {
            var shift = newEntryDeadline.DayNumber - EntryDeadline.DayNumber;
            ReviewDeadline = ReviewDeadline.AddDays(shift);
            CouncilDeadline = CouncilDeadline.AddDays(shift);
        }
        EntryDeadline = newEntryDeadline;
        Status = RoundStatus.Open;
        ClosedReason = null;
    }
}

internal sealed class AssessmentRoundConfiguration : IEntityTypeConfiguration<AssessmentRound>
{
    public void Configure(EntityTypeBuilder<AssessmentRound> b)
    {
        b.ToTable("assessment_rounds");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.Year).HasColumnName("year");
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(300).IsRequired();
        b.Property(x => x.CriteriaSetVersionId).HasColumnName("criteria_set_version_id");
        b.Property(x => x.ProvinceUnitId).HasColumnName("province_unit_id");
        b.Property(x => x.LevelCode).HasColumnName("level_code").HasMaxLength(32).IsRequired();
        b.Property(x => x.EntryDeadline).HasColumnName("entry_deadline");
        b.Property(x => x.ReviewDeadline).HasColumnName("review_deadline");
        b.Property(x => x.CouncilDeadline).HasColumnName("council_deadline");
        b.Property(x => x.HasDistrictTier).HasColumnName("has_district_tier");
        b.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.ClosedReason).HasColumnName("closed_reason").HasMaxLength(1000);
        b.Property(x => x.CreatedAt).HasColumnName("created_at");
        b.Property(x => x.CreatedBy).HasColumnName("created_by").HasMaxLength(256);
        b.Property(x => x.RowVersion).IsRowVersion();
        b.Property(x => x.PublishedAt).HasColumnName("published_at");
        b.Property(x => x.PublishedBy).HasColumnName("published_by").HasMaxLength(256);
        b.Property(x => x.LastDocumentNumber).HasColumnName("last_document_number");
        b.Property(x => x.AllowLateSubmission).HasColumnName("allow_late_submission");
        b.Property(x => x.ResubmitDays).HasColumnName("resubmit_days");
        b.Ignore(x => x.IsOpen);
        b.HasIndex(x => new { x.ProvinceUnitId, x.Year, x.LevelCode });
        b.HasOne(x => x.SetVersion).WithMany().HasForeignKey(x => x.CriteriaSetVersionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Domain.Units.AdministrativeUnit>().WithMany().HasForeignKey(x => x.ProvinceUnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
