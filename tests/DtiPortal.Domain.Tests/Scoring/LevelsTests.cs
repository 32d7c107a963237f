using DtiPortal.Domain.Scoring;
using static DtiPortal.Domain.Tests.TestSets;

namespace DtiPortal.Domain.Tests.Scoring;

/// <summary>Maturity levels per spec §6 and DOMAIN.md §4b (Decision 2361/QĐ-BTTTT).</summary>
public class LevelsTests
{
    private static readonly Lazy<DtiPortal.Domain.Criteria.CriteriaSet> _set = new(() => Load(Header + """
        levels:
          - { level: 1, name: Khởi động }
          - { level: 2, name: Kết nối }
          - { level: 3, name: Cơ bản }
        tree:
          - code: "I"
            kind: pillar
            name: Chính quyền số
            children:
              - code: "I.1"
                name: Tỷ lệ hộ có cáp quang
                inputs:
                  - { key: a, label: Hộ có cáp quang, unit: hộ }
                  - { key: b, label: Tổng số hộ, unit: hộ }
                value: { ratio: a/b }
                levels: { 1: na, 2: { min: "50%" }, 3: { min: "70%" } }
              - code: "I.2"
                name: Có hệ thống
                levels: { 1: present, 2: present, 3: present }
              - code: "I.3"
                name: Mức của các xã
                value: { lowerLevels: true }
                aggregate: { allAtLeastPrevious: "100%", atLeast: "50%" }
        """));

    private static UnitResult Score(params (string, object?)[] values) => ScoreOne(_set.Value, values);

    [Fact]
    public void Score_WhenAllMetAtThree_ReachesThree()
    {
        var unit = Score(("I.1.a", 80), ("I.1.b", 100), ("I.2", true), ("I.3", new[] { 3, 3, 2, 4 }));
        Assert.Equal(3, unit.Level);
        Assert.Empty(unit.NextLevels);
    }

    [Fact]
    public void Score_WhenRatioShort_SaysHowManyMoreNeeded()
    {
        // 58/100 = 58% meets level 2 (≥ 50%) but not 3 (≥ 70%): "cần thêm 12 hộ".
        var unit = Score(("I.1.a", 58), ("I.1.b", 100), ("I.2", true), ("I.3", new[] { 3, 3 }));
        Assert.Equal(2, unit.Level);
        var blocker = Assert.Single(Assert.Single(unit.NextLevels).Blockers);
        Assert.Equal("I.1", blocker.Code);
        Assert.Equal(12m, blocker.Shortfall);
        Assert.StartsWith("cần thêm 12 hộ", blocker.Message);
    }

    [Fact]
    public void Score_WhenPresenceMissing_StaysAtZero()
    {
        var unit = Score(("I.1.a", 90), ("I.1.b", 100), ("I.2", false), ("I.3", new[] { 3 }));
        Assert.Equal(0, unit.Level);
        Assert.Equal([1, 2, 3], unit.NextLevels.Select(g => g.Level));
    }

    [Theory]
    // DOMAIN.md §4b: level 1 = 100% at ≥ 1; level L > 1 = 100% at ≥ L−1 and ≥ 50% at ≥ L.
    [InlineData(new[] { 1, 1, 1, 1 }, 1)]
    [InlineData(new[] { 2, 2, 1, 1 }, 2)]
    [InlineData(new[] { 2, 1, 1, 1 }, 1)]
    [InlineData(new[] { 3, 3, 2, 2 }, 3)]
    [InlineData(new[] { 3, 3, 3, 1 }, 2)]
    [InlineData(new[] { 0, 3, 3, 3 }, 0)]
    public void Score_WhenLowerLevelsAggregated_FollowsTheRule(int[] communes, int expected)
    {
        var unit = Score(("I.1.a", 100), ("I.1.b", 100), ("I.2", true), ("I.3", communes));
        Assert.Equal(expected, unit.Node("I.3").LevelMet);
    }

    [Fact]
    public void Score_WhenLowerLevelsShort_SaysHowManyUnits()
    {
        var unit = Score(("I.1.a", 100), ("I.1.b", 100), ("I.2", true), ("I.3", new[] { 3, 2, 2, 2 }));
        Assert.Equal(2, unit.Level);
        var blocker = Assert.Single(Assert.Single(unit.NextLevels).Blockers);
        Assert.Equal("cần thêm 1 đơn vị cấp dưới đạt mức ≥ 3", blocker.Message);
    }

    [Fact]
    public void Score_WhenLevelsSet_PointsAreZeroAndLevelIsSet()
    {
        var unit = Score();
        Assert.Equal(0m, unit.Total);
        Assert.Equal(0, unit.Level);
        Assert.Contains("I.1.a", unit.Missing);
        Assert.Contains("I.3", unit.Missing);
    }
}
