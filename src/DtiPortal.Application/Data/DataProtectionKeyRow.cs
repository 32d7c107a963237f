using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Data;

/// <summary>
/// One key of ASP.NET Core's data-protection key ring, kept in PostgreSQL so that every instance of the web app decrypts
/// the cookies and antiforgery tokens issued by any other (issue 8, ADR-009). Not unit-owned: no row-level security.
/// </summary>
public sealed class DataProtectionKeyRow
{
    private DataProtectionKeyRow() { } // EF

    public DataProtectionKeyRow(string friendlyName, string xml, DateTimeOffset createdAt)
    {
        FriendlyName = friendlyName;
        Xml = xml;
        CreatedAt = createdAt;
    }

    public int Id { get; private set; }
    public string FriendlyName { get; private set; } = "";
    /// <summary>The key's XML as the data-protection system wrote it (encrypted at rest if an XML encryptor is configured).</summary>
    public string Xml { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
}

internal sealed class DataProtectionKeyRowConfiguration : IEntityTypeConfiguration<DataProtectionKeyRow>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRow> b)
    {
        b.ToTable("data_protection_keys");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.FriendlyName).HasColumnName("friendly_name").HasMaxLength(200).IsRequired();
        b.Property(x => x.Xml).HasColumnName("xml").IsRequired();
        b.Property(x => x.CreatedAt).HasColumnName("created_at");
    }
}
