namespace DtiPortal.Domain.Units;

/// <summary>
/// A tier of the administrative tree. Levels are rows in the database, not tables: the
/// rank orders them (a child's rank is always greater than its parent's), so a province
/// may have communes directly under it (the two-tier tree since 1 July 2025).
/// </summary>
public sealed class UnitLevel
{
    public const string Province = "province";
    public const string District = "district";
    public const string Commune = "commune";

    private UnitLevel() { } // EF

    public UnitLevel(string code, string name, int rank)
    {
        Code = code;
        Name = name;
        Rank = rank;
    }

    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public int Rank { get; private set; }

    public static IReadOnlyList<UnitLevel> Defaults { get; } =
    [
        new(Province, "Cấp tỉnh", 1),
        new(District, "Cấp huyện", 2),
        new(Commune, "Cấp xã", 3),
    ];
}
