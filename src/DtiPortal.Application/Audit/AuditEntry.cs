using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Audit;

/// <summary>
/// One row of the append-only audit trail (table audit_log). Read through EF (filtered to the reader's units);
/// written only by <see cref="AuditLog"/> and <see cref="AuditSaveChangesInterceptor"/> with a plain INSERT, because
/// the application role may insert entries about any unit but only read those of its own units (an INSERT ...
/// RETURNING would need both). Never updated or deleted: the database refuses it (ADR-006).
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry() { } // EF

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? UserId { get; private set; }
    public string? UserName { get; private set; }
    public string? Origin { get; private set; }
    public string Action { get; private set; } = "";
    public string? EntityType { get; private set; }
    public string? EntityId { get; private set; }
    public int? UnitId { get; private set; }
    public string? Before { get; private set; }
    public string? After { get; private set; }
    public string? Detail { get; private set; }
    public bool Success { get; private set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_log");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").UseSerialColumn();
        b.Property(x => x.At).HasColumnName("at");
        b.Property(x => x.UserId).HasColumnName("user_id");
        b.Property(x => x.UserName).HasColumnName("user_name");
        b.Property(x => x.Origin).HasColumnName("origin");
        b.Property(x => x.Action).HasColumnName("action").IsRequired();
        b.Property(x => x.EntityType).HasColumnName("entity_type");
        b.Property(x => x.EntityId).HasColumnName("entity_id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.Before).HasColumnName("before").HasColumnType("jsonb");
        b.Property(x => x.After).HasColumnName("after").HasColumnType("jsonb");
        b.Property(x => x.Detail).HasColumnName("detail");
        b.Property(x => x.Success).HasColumnName("success");
        // No foreign keys: an entry outlives the user and the unit it names.
        b.HasIndex(x => x.At);
        b.HasIndex(x => new { x.UnitId, x.At });
        b.HasIndex(x => new { x.UserId, x.At });
        b.HasIndex(x => new { x.EntityType, x.EntityId });
    }
}
