using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// A later deadline given to one unit's assessment (issue 15), with the reason, by an admin or the reviewing office.
/// One per assessment: granting again replaces the date and the reason (the audit log keeps every version, before and
/// after). Unit-owned (ADR-006): the unit sees its own extension, nobody outside the scope sees or changes it.
/// </summary>
public sealed class DeadlineExtension : IUnitOwned
{
    public const int MaxReasonLength = 1000;

    private DeadlineExtension() { } // EF

    public DeadlineExtension(Assessment assessment, DateOnly newDeadline, string reason, DateTimeOffset now, string? byUserId, string? byName)
        : this(assessment.Id, assessment.UnitId, newDeadline, reason, now, byUserId, byName)
    {
        Assessment = assessment;
    }

    public DeadlineExtension(int assessmentId, int unitId, DateOnly newDeadline, string reason, DateTimeOffset now, string? byUserId, string? byName)
    {
        AssessmentId = assessmentId;
        UnitId = unitId;
        Grant(newDeadline, reason, now, byUserId, byName);
    }

    public int Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    /// <summary>The last day the unit may enter and submit (inclusive, Vietnam's calendar).</summary>
    public DateOnly NewDeadline { get; private set; }
    public string Reason { get; private set; } = "";
    public DateTimeOffset GrantedAt { get; private set; }
    public string? GrantedBy { get; private set; }
    public string? GrantedByName { get; private set; }

    public void Grant(DateOnly newDeadline, string reason, DateTimeOffset now, string? byUserId, string? byName)
    {
        if (string.IsNullOrWhiteSpace(reason)) throw new DomainException("Nhập lý do gia hạn cho đơn vị.");
        if (reason.Trim().Length > MaxReasonLength) throw new DomainException($"Lý do gia hạn dài quá {MaxReasonLength} ký tự.");
        NewDeadline = newDeadline;
        Reason = reason.Trim();
        GrantedAt = now;
        GrantedBy = byUserId;
        GrantedByName = byName;
    }
}

internal sealed class DeadlineExtensionConfiguration : IEntityTypeConfiguration<DeadlineExtension>
{
    public void Configure(EntityTypeBuilder<DeadlineExtension> b)
    {
        b.ToTable("deadline_extensions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.NewDeadline).HasColumnName("new_deadline");
        b.Property(x => x.Reason).HasColumnName("reason").HasMaxLength(DeadlineExtension.MaxReasonLength).IsRequired();
        b.Property(x => x.GrantedAt).HasColumnName("granted_at");
        b.Property(x => x.GrantedBy).HasColumnName("granted_by").HasMaxLength(450);
        b.Property(x => x.GrantedByName).HasColumnName("granted_by_name").HasMaxLength(256);
        b.HasIndex(x => x.AssessmentId).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
