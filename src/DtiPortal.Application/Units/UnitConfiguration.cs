using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Units;

internal sealed class UnitLevelConfiguration : IEntityTypeConfiguration<UnitLevel>
{
    public void Configure(EntityTypeBuilder<UnitLevel> b)
    {
        b.ToTable("unit_levels");
        b.HasKey(x => x.Code);
        b.Property(x => x.Code).HasColumnName("code").HasMaxLength(32);
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(100).IsRequired();
        b.Property(x => x.Rank).HasColumnName("rank");
        b.HasIndex(x => x.Rank).IsUnique();
        b.HasData(UnitLevel.Defaults.Select(l => new { l.Code, l.Name, l.Rank }));
    }
}

internal sealed class AdministrativeUnitConfiguration : IEntityTypeConfiguration<AdministrativeUnit>
{
    public void Configure(EntityTypeBuilder<AdministrativeUnit> b)
    {
        b.ToTable("units");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.Code).HasColumnName("code").HasMaxLength(32).IsRequired();
        b.Property(x => x.Name).HasColumnName("name").HasMaxLength(200).IsRequired();
        b.Property(x => x.SearchKey).HasColumnName("search_key").HasMaxLength(250).IsRequired();
        b.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(40);
        b.Property(x => x.LevelCode).HasColumnName("level_code").HasMaxLength(32).IsRequired();
        b.Property(x => x.ParentId).HasColumnName("parent_id");
        b.Property(x => x.ValidFrom).HasColumnName("valid_from");
        b.Property(x => x.ValidTo).HasColumnName("valid_to");
        b.Property(x => x.IsDemo).HasColumnName("is_demo");
        b.HasIndex(x => x.Code).IsUnique();
        b.HasIndex(x => x.ParentId);
        b.HasOne<UnitLevel>().WithMany().HasForeignKey(x => x.LevelCode).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AdministrativeUnit>().WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.OwnsMany(x => x.Predecessors, p =>
        {
            p.ToTable("unit_predecessors");
            p.WithOwner().HasForeignKey(x => x.UnitId);
            p.Property(x => x.UnitId).HasColumnName("unit_id");
            p.Property(x => x.PredecessorId).HasColumnName("predecessor_id");
            p.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(20);
            p.HasKey(x => new { x.UnitId, x.PredecessorId });
            p.HasOne<AdministrativeUnit>().WithMany().HasForeignKey(x => x.PredecessorId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Navigation(x => x.Predecessors).HasField("_predecessors").UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
