using DtiPortal.Application.Units;

namespace DtiPortal.Integration.Tests.Tenancy;

/// <summary>
/// How to make and change a row of each unit-owned entity type, for the isolation matrix. A new IUnitOwned type
/// needs one line here: <see cref="TenancyCoverageTests"/> fails until it has one, and then the matrix covers it.
/// </summary>
public sealed record UnitOwnedSample(
    // A new row for the unit. Variants 0 and 1 of the same unit must not collide on a unique index.
    Func<int, int, object> Create,
    // Changes some of the row's values (an ordinary edit a user would make).
    Action<object> Change);

public static class UnitOwnedSamples
{
    public static IReadOnlyDictionary<Type, UnitOwnedSample> ByType { get; } = new Dictionary<Type, UnitOwnedSample>
    {
        [typeof(UnitContact)] = new(
            (unitId, variant) => new UnitContact(unitId, variant == 0 ? UnitContactRole.DataProvider : UnitContactRole.ApprovingLeader,
                "Nguyễn Văn Hùng", "UBND xã", "Chuyên viên", "0912 345 678", "hung@example.vn"),
            o => ((UnitContact)o).Update("Trần Thị Mai", "Văn phòng HĐND và UBND", "Phó Chủ tịch", "0987 654 321", "mai@example.vn")),
    };
}
