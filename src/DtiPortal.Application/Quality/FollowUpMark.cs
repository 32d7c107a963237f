using DtiPortal.Application.Assessments;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Quality;

/// <summary>
/// A reviewer's "cần theo dõi" mark on one figure of an assessment (issue 15), with a note the unit reads beside the figure
/// on its entry page and answers. One mark per figure: marking it again replaces the note (the answer stays, the reviewer
/// sees whether it answers the new note by its time). Unit-owned (RLS); every change is audited by the interceptor.
/// </summary>
public sealed class FollowUpMark : IUnitOwned
{
    public const int MaxLength = 2000;

    private FollowUpMark() { } // EF

    public FollowUpMark(int assessmentId, int unitId, string address, string? criterionCode, string note, DateTimeOffset now, string? byId, string byName)
    {
        AssessmentId = assessmentId;
        UnitId = unitId;
        Address = address;
        CriterionCode = criterionCode;
        Renote(note, now, byId, byName);
    }

    public FollowUpMark(Assessment assessment, string address, string note, DateTimeOffset now, string byName)
        : this(assessment.Id, assessment.UnitId, address, null, note, now, null, byName)
    {
        Assessment = assessment;
    }

    public long Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    /// <summary>The figure: an input address ("1.5.a", "general:1.4") or a criterion's ratio ("ratio:1.5").</summary>
    public string Address { get; private set; } = "";
    public string? CriterionCode { get; private set; }
    public string Note { get; private set; } = "";
    public DateTimeOffset MarkedAt { get; private set; }
    public string? MarkedById { get; private set; }
    public string MarkedByName { get; private set; } = "";
    public string? Answer { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public string? AnsweredByName { get; private set; }

    /// <summary>Answered after the note was last written.</summary>
    public bool IsAnswered => Answer is not null && AnsweredAt >= MarkedAt;

    public void Renote(string note, DateTimeOffset now, string? byId, string byName)
    {
        if (string.IsNullOrWhiteSpace(note)) throw new DomainException("Hãy ghi chú vì sao số liệu cần theo dõi.");
        if (note.Length > MaxLength) throw new DomainException($"Ghi chú dài quá {MaxLength} ký tự.");
        Note = note.Trim();
        MarkedAt = now;
        MarkedById = byId;
        MarkedByName = byName;
    }

    public void AnswerWith(string text, DateTimeOffset now, string byName)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new DomainException("Nội dung trả lời không được để trống.");
        if (text.Length > MaxLength) throw new DomainException($"Nội dung trả lời dài quá {MaxLength} ký tự.");
        Answer = text.Trim();
        AnsweredAt = now;
        AnsweredByName = byName;
    }
}

internal sealed class FollowUpMarkConfiguration : IEntityTypeConfiguration<FollowUpMark>
{
    public void Configure(EntityTypeBuilder<FollowUpMark> b)
    {
        b.ToTable("follow_up_marks");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.Address).HasColumnName("address").HasMaxLength(100).IsRequired();
        b.Property(x => x.CriterionCode).HasColumnName("criterion_code").HasMaxLength(64);
        b.Property(x => x.Note).HasColumnName("note").HasMaxLength(FollowUpMark.MaxLength).IsRequired();
        b.Property(x => x.MarkedAt).HasColumnName("marked_at");
        b.Property(x => x.MarkedById).HasColumnName("marked_by_id").HasMaxLength(450);
        b.Property(x => x.MarkedByName).HasColumnName("marked_by_name").HasMaxLength(256).IsRequired();
        b.Property(x => x.Answer).HasColumnName("answer").HasMaxLength(FollowUpMark.MaxLength);
        b.Property(x => x.AnsweredAt).HasColumnName("answered_at");
        b.Property(x => x.AnsweredByName).HasColumnName("answered_by_name").HasMaxLength(256);
        b.Ignore(x => x.IsAnswered);
        b.HasIndex(x => new { x.AssessmentId, x.Address }).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
