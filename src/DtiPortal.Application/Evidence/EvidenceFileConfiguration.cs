using DtiPortal.Application.Assessments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Evidence;

internal sealed class EvidenceFileConfiguration : IEntityTypeConfiguration<EvidenceFile>
{
    public void Configure(EntityTypeBuilder<EvidenceFile> b)
    {
        b.ToTable("evidence_files");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.AssessmentId).HasColumnName("assessment_id");
        b.Property(x => x.CriterionCode).HasColumnName("criterion_code").HasMaxLength(64).IsRequired();
        b.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(16);
        b.Property(x => x.StorageKey).HasColumnName("storage_key").HasMaxLength(200);
        b.Property(x => x.FileName).HasColumnName("file_name").HasMaxLength(EvidenceFile.MaxFileNameLength);
        b.Property(x => x.ContentType).HasColumnName("content_type").HasMaxLength(200);
        b.Property(x => x.Size).HasColumnName("size");
        b.Property(x => x.Sha256).HasColumnName("sha256").HasMaxLength(64);
        b.Property(x => x.Url).HasColumnName("url").HasMaxLength(EvidenceFile.MaxUrlLength);
        b.Property(x => x.DocNumber).HasColumnName("doc_number").HasMaxLength(100);
        b.Property(x => x.IssuedOn).HasColumnName("issued_on");
        b.Property(x => x.Issuer).HasColumnName("issuer").HasMaxLength(300);
        b.Property(x => x.Summary).HasColumnName("summary").HasMaxLength(2000);
        b.Property(x => x.UploadedAt).HasColumnName("uploaded_at");
        b.Property(x => x.UploadedBy).HasColumnName("uploaded_by").HasMaxLength(256);
        b.Property(x => x.DeletedAt).HasColumnName("deleted_at");
        b.Property(x => x.DeletedBy).HasColumnName("deleted_by").HasMaxLength(256);
        b.HasIndex(x => new { x.AssessmentId, x.CriterionCode });
        b.HasIndex(x => x.Sha256);
        b.HasIndex(x => x.UnitId);
        b.HasOne<Domain.Units.AdministrativeUnit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Assessment).WithMany().HasForeignKey(x => x.AssessmentId).OnDelete(DeleteBehavior.Cascade);
        b.ToTable(t =>
        {
            t.HasCheckConstraint("ck_evidence_files_kind", "(kind = 'File' AND storage_key IS NOT NULL AND sha256 IS NOT NULL) OR (kind = 'Link' AND url IS NOT NULL)");
        });
    }
}
