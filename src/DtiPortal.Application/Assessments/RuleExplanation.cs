using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// The unit's explanation (giải trình) of a warning rule its figures break (spec §10): without one the assessment cannot
/// be submitted; the reviewer reads it beside the figures. One per assessment and rule code; <see cref="Detail"/> keeps
/// the figures as they were compared when it was written ("16 > 15"), so a reviewer sees whether they changed since.
/// Unit-owned through the assessment's unit.
/// </summary>
public sealed class RuleExplanation : IUnitOwned
{
    public const int MaxLength = 1000;

    private RuleExplanation() { } // EF

    public RuleExplanation(int assessmentId, int unitId, string ruleCode)
    {
        AssessmentId = assessmentId;
        UnitId = unitId;
        RuleCode = ruleCode;
    }

    public RuleExplanation(Assessment assessment, string ruleCode) : this(assessment.Id, assessment.UnitId, ruleCode)
    {
        Assessment = assessment;
    }

    public long Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    public string RuleCode { get; private set; } = "";
    public string Text { get; private set; } = "";
    public string? Detail { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }
    public string? UpdatedByName { get; private set; }

    public void Explain(string text, string? detail, DateTimeOffset now, string? userId, string? userName)
    {
        Text = text;
        Detail = detail;
        UpdatedAt = now;
        UpdatedBy = userId;
        UpdatedByName = userName;
    }
}

internal sealed class RuleExplanationConfiguration : IEntityTypeConfiguration<RuleExplanation>
{
    public void Configure(EntityTypeBuilder<RuleExplanation> b)
    {
        b.ToTable("rule_explanations");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.RuleCode).HasColumnName("rule_code").HasMaxLength(50).IsRequired();
        b.Property(x => x.Text).HasColumnName("text").HasMaxLength(RuleExplanation.MaxLength).IsRequired();
        b.Property(x => x.Detail).HasColumnName("detail").HasMaxLength(200);
        b.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        b.Property(x => x.UpdatedBy).HasColumnName("updated_by").HasMaxLength(450);
        b.Property(x => x.UpdatedByName).HasColumnName("updated_by_name").HasMaxLength(256);
        b.HasIndex(x => new { x.AssessmentId, x.RuleCode }).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
