using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Criteria;

internal sealed class CriteriaSetVersionConfiguration : IEntityTypeConfiguration<CriteriaSetVersion>
{
    public void Configure(EntityTypeBuilder<CriteriaSetVersion> b)
    {
        b.ToTable("criteria_set_versions");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.SetId).HasColumnName("set_id").HasMaxLength(100).IsRequired();
        b.Property(x => x.Version).HasColumnName("version");
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(500).IsRequired();
        b.Property(x => x.Level).HasColumnName("level").HasMaxLength(32).IsRequired();
        b.Property(x => x.DecisionNumber).HasColumnName("decision_number").HasMaxLength(100).IsRequired();
        b.Property(x => x.DecisionDate).HasColumnName("decision_date");
        b.Property(x => x.DecisionIssuer).HasColumnName("decision_issuer").HasMaxLength(300).IsRequired();
        b.Property(x => x.Yaml).HasColumnName("yaml").IsRequired();
        b.Property(x => x.Sha256).HasColumnName("sha256").HasMaxLength(64).IsFixedLength().IsRequired();
        b.Property(x => x.IsBuiltIn).HasColumnName("is_builtin");
        b.Property(x => x.LoadedAt).HasColumnName("loaded_at");
        b.Property(x => x.LoadedBy).HasColumnName("loaded_by").HasMaxLength(256);
        b.Property(x => x.OwnerUnitId).HasColumnName("owner_unit_id");
        b.HasOne<Domain.Units.AdministrativeUnit>().WithMany().HasForeignKey(x => x.OwnerUnitId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.DecisionDocumentKey).HasColumnName("decision_document_key").HasMaxLength(200);
        b.Property(x => x.DecisionDocumentName).HasColumnName("decision_document_name").HasMaxLength(255);
        // A published version is immutable: one row per id+version, ever.
        b.HasIndex(x => new { x.SetId, x.Version }).IsUnique();
    }
}
