using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// Which department (phòng/ban) fills a criterion of an assessment. Created with the assessment from the set's
/// <c>lead</c> column; a commune officer may reassign. Null department = the unit's own officers. A department officer
/// sees and edits only criteria assigned to their department (compared with <see cref="Domain.VietnameseText.Fold"/>).
/// </summary>
public sealed class CriterionAssignment : IUnitOwned
{
    private CriterionAssignment() { } // EF

    public CriterionAssignment(Assessment assessment, string criterionCode, string? department) : this(assessment.Id, assessment.UnitId, criterionCode, department)
    {
        Assessment = assessment;
    }

    public CriterionAssignment(int assessmentId, int unitId, string criterionCode, string? department)
    {
        AssessmentId = assessmentId;
        UnitId = unitId;
        CriterionCode = criterionCode;
        Reassign(department);
    }

    public long Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    public string CriterionCode { get; private set; } = "";
    public string? Department { get; private set; }

    public void Reassign(string? department) => Department = string.IsNullOrWhiteSpace(department) ? null : department.Trim();

    public static bool SameDepartment(string? a, string? b) =>
        a is not null && b is not null && Domain.VietnameseText.Fold(a) == Domain.VietnameseText.Fold(b);
}

internal sealed class CriterionAssignmentConfiguration : IEntityTypeConfiguration<CriterionAssignment>
{
    public void Configure(EntityTypeBuilder<CriterionAssignment> b)
    {
        b.ToTable("criterion_assignments");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.CriterionCode).HasColumnName("criterion_code").HasMaxLength(50).IsRequired();
        b.Property(x => x.Department).HasColumnName("department").HasMaxLength(200);
        b.HasIndex(x => new { x.AssessmentId, x.CriterionCode }).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
