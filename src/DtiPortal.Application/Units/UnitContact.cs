using DtiPortal.Application.Tenancy;
using DtiPortal.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DtiPortal.Application.Units;

/// <summary>Who a contact is for the unit, as the assessment forms name them ("Thông tin liên hệ", seed 003 §2, seed 001 §20).</summary>
public enum UnitContactRole
{
    /// <summary>Chuyên viên cung cấp số liệu.</summary>
    DataProvider,
    /// <summary>Lãnh đạo cơ quan duyệt.</summary>
    ApprovingLeader,
}

public static class UnitContactRoles
{
    public static string DisplayName(UnitContactRole role) => role switch
    {
        UnitContactRole.DataProvider => "Chuyên viên cung cấp số liệu",
        UnitContactRole.ApprovingLeader => "Lãnh đạo cơ quan duyệt",
        _ => role.ToString(),
    };
}

/// <summary>
/// A unit's contact person or approving leader (one of each per unit). Unit-owned: a user sees and edits only the
/// contacts of units in their scope (ADR-006).
/// </summary>
public sealed class UnitContact : IUnitOwned
{
    private UnitContact() { } // EF

    public UnitContact(int unitId, UnitContactRole role, string fullName, string? organization, string? position, string? phone, string? email)
    {
        UnitId = unitId;
        Role = role;
        Update(fullName, organization, position, phone, email);
    }

    public int Id { get; private set; }
    public int UnitId { get; private set; }
    public UnitContactRole Role { get; private set; }
    /// <summary>Họ tên.</summary>
    public string FullName { get; private set; } = "";
    /// <summary>Đơn vị công tác.</summary>
    public string? Organization { get; private set; }
    /// <summary>Chức vụ.</summary>
    public string? Position { get; private set; }
    /// <summary>Điện thoại liên hệ.</summary>
    public string? Phone { get; private set; }
    public string? Email { get; private set; }
    /// <summary>PostgreSQL's xmin: a concurrent edit fails instead of overwriting.</summary>
    public uint Version { get; private set; }

    public void Update(string fullName, string? organization, string? position, string? phone, string? email)
    {
        if (string.IsNullOrWhiteSpace(fullName)) throw new DomainException("Họ tên người liên hệ đang để trống.");
        if (email is { Length: > 0 } && !email.Contains('@')) throw new DomainException($"Email '{email}' không hợp lệ.");
        FullName = fullName.Trim();
        Organization = Clean(organization);
        Position = Clean(position);
        Phone = Clean(phone);
        Email = Clean(email);
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

internal sealed class UnitContactConfiguration : IEntityTypeConfiguration<UnitContact>
{
    public void Configure(EntityTypeBuilder<UnitContact> b)
    {
        b.ToTable("unit_contacts");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id");
        b.Property(x => x.UnitId).HasColumnName("unit_id");
        b.Property(x => x.Role).HasColumnName("role").HasConversion<string>().HasMaxLength(32);
        b.Property(x => x.FullName).HasColumnName("full_name").HasMaxLength(200).IsRequired();
        b.Property(x => x.Organization).HasColumnName("organization").HasMaxLength(200);
        b.Property(x => x.Position).HasColumnName("position").HasMaxLength(200);
        b.Property(x => x.Phone).HasColumnName("phone").HasMaxLength(50);
        b.Property(x => x.Email).HasColumnName("email").HasMaxLength(200);
        b.Property(x => x.Version).IsRowVersion();
        b.HasIndex(x => new { x.UnitId, x.Role }).IsUnique();
        b.HasOne<Domain.Units.AdministrativeUnit>().WithMany().HasForeignKey(x => x.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}
