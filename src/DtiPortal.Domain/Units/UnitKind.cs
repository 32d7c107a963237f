namespace DtiPortal.Domain.Units;

/// <summary>
/// The legal kinds of administrative unit. The tier a kind sits at is data (<see cref="UnitLevel"/>),
/// so the post-2025 two-tier tree (province → commune) needs no code change.
/// </summary>
public enum UnitKind
{
    Tinh,
    ThanhPhoTrucThuocTrungUong,
    Huyen,
    Quan,
    ThiXa,
    ThanhPhoThuocTinh,
    Xa,
    Phuong,
    ThiTran,
    DacKhu,
}

public static class UnitKinds
{
    private static readonly Dictionary<UnitKind, (string Name, string Level)> Info = new()
    {
        [UnitKind.Tinh] = ("Tỉnh", UnitLevel.Province),
        [UnitKind.ThanhPhoTrucThuocTrungUong] = ("Thành phố trực thuộc trung ương", UnitLevel.Province),
        [UnitKind.Huyen] = ("Huyện", UnitLevel.District),
        [UnitKind.Quan] = ("Quận", UnitLevel.District),
        [UnitKind.ThiXa] = ("Thị xã", UnitLevel.District),
        [UnitKind.ThanhPhoThuocTinh] = ("Thành phố thuộc tỉnh", UnitLevel.District),
        [UnitKind.Xa] = ("Xã", UnitLevel.Commune),
        [UnitKind.Phuong] = ("Phường", UnitLevel.Commune),
        [UnitKind.ThiTran] = ("Thị trấn", UnitLevel.Commune),
        [UnitKind.DacKhu] = ("Đặc khu", UnitLevel.Commune),
    };

    /// <summary>Vietnamese display name ("Thị trấn").</summary>
    public static string DisplayName(this UnitKind kind) => Info[kind].Name;

    /// <summary>The level code this kind belongs to (province, district, commune).</summary>
    public static string LevelCode(this UnitKind kind) => Info[kind].Level;

    /// <summary>
    /// Reads a kind as written in a spreadsheet: "xã", "Xa", "thị trấn", "thanh pho thuoc tinh", or the enum name.
    /// "Thành phố" alone is ambiguous (trực thuộc TW or thuộc tỉnh): it is resolved from the parent's level.
    /// </summary>
    public static UnitKind? Parse(string? text, string? parentLevel)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var key = VietnameseText.Fold(text).Replace(" ", "");
        foreach (var (kind, info) in Info)
        {
            if (key == VietnameseText.Fold(info.Name).Replace(" ", "") || key == kind.ToString().ToLowerInvariant())
                return kind;
        }
        if (key == "thanhpho")
            return parentLevel is null ? UnitKind.ThanhPhoTrucThuocTrungUong : UnitKind.ThanhPhoThuocTinh;
        return null;
    }

    public static IEnumerable<UnitKind> All => Info.Keys;
}
