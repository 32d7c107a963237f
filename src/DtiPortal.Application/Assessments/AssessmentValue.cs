using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Assessments;

/// <summary>
/// One entered value of an assessment, addressed as the set prints it ("3.1.a", "2.1", "general:1.4"), stored as JSON
/// (a number, true/false, a 1-based option, a string, a list of levels). <see cref="Version"/> grows with every save and
/// is the concurrency token: a save carrying an older version is a conflict, never a silent overwrite. A cleared value
/// keeps its row (null JSON) so its history and version survive. Unit-owned through the assessment's unit.
/// </summary>
public sealed class AssessmentValue : IUnitOwned
{
    public const string GeneralPrefix = "general:";

    private AssessmentValue() { } // EF

    public AssessmentValue(Assessment assessment, string address) : this(assessment.Id, assessment.UnitId, address)
    {
        Assessment = assessment;
    }

    public AssessmentValue(int assessmentId, int unitId, string address)
    {
        AssessmentId = assessmentId;
        UnitId = unitId;
        Address = address;
    }

    public long Id { get; private set; }
    public int UnitId { get; private set; }
    public int AssessmentId { get; private set; }
    public Assessment? Assessment { get; private set; }
    public string Address { get; private set; } = "";
    /// <summary>The value as JSON (jsonb); null when cleared.</summary>
    public string? ValueJson { get; private set; }
    public int Version { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? UpdatedBy { get; private set; }
    public string? UpdatedByName { get; private set; }

    public void Set(string? json, DateTimeOffset now, string? userId, string? userName)
    {
        ValueJson = json;
        Version++;
        UpdatedAt = now;
        UpdatedBy = userId;
        UpdatedByName = userName;
    }
}

internal sealed class AssessmentValueConfiguration : IEntityTypeConfiguration<AssessmentValue>
{
    public void Configure(EntityTypeBuilder<AssessmentValue> b)
    {
        b.ToTable("assessment_values");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.Address).HasColumnName("address").HasMaxLength(100).IsRequired();
        b.Property(x => x.ValueJson).HasColumnName("value").HasColumnType("jsonb");
        b.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
        b.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        b.Property(x => x.UpdatedBy).HasColumnName("updated_by").HasMaxLength(450);
        b.Property(x => x.UpdatedByName).HasColumnName("updated_by_name").HasMaxLength(256);
        b.HasIndex(x => new { x.AssessmentId, x.Address }).IsUnique();
        b.HasIndex(x => x.UnitId);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }
}
