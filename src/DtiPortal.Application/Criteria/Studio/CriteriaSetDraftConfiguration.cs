using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Criteria.Studio;

internal sealed class CriteriaSetDraftConfiguration : IEntityTypeConfiguration<CriteriaSetDraft>
{
    public void Configure(EntityTypeBuilder<CriteriaSetDraft> b)
    {
        b.ToTable("criteria_set_drafts");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.HasOne<Domain.Units.AdministrativeUnit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Yaml).HasColumnName("yaml").IsRequired();
        b.Property(x => x.Origin).HasColumnName("origin").HasMaxLength(300).IsRequired();
        b.Property(x => x.SetId).HasColumnName("set_id").HasMaxLength(100).IsRequired();
        b.Property(x => x.Version).HasColumnName("version");
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(500).IsRequired();
        b.Property(x => x.Revision).HasColumnName("revision").IsConcurrencyToken();
        b.Property(x => x.CreatedAt).HasColumnName("created_at");
        b.Property(x => x.CreatedBy).HasColumnName("created_by").HasMaxLength(256);
        b.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        b.Property(x => x.UpdatedBy).HasColumnName("updated_by").HasMaxLength(256);
        b.Property(x => x.DecisionDocumentKey).HasColumnName("decision_document_key").HasMaxLength(200);
        b.Property(x => x.DecisionDocumentName).HasColumnName("decision_document_name").HasMaxLength(255);
        b.HasIndex(x => x.UnitId);
    }
}
