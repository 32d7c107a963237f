using DtiPortal.Application.Criteria;
using DtiPortal.Domain.Criteria;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Integration.Tests.Criteria;

/// <summary>Issue 4: a published version is immutable; a new version says what it changes; built-ins register once.</summary>
public class CriteriaSetVersionTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    /// <summary>A small valid set: group 1 (30) = 1.1 yes/no (10) + 1.2 ratio (20).</summary>
    public static string Version1(string id, string comment = "") => $"""
        # {comment}
        format: dti-criteria/1
        id: {id}
        version: 1
        name: Bộ thử {id}
        level: commune
        decision: {"{"} number: 1/QĐ-TEST, date: 2024-01-01, issuer: UBND tỉnh thử {"}"}
        maxPoints: 30
        tree:
          - code: "1"
            name: Nhóm một
            max: 30
            children:
              - code: "1.1"
                name: Có kế hoạch chuyển đổi số
                max: 10
                method: yesno
              - code: "1.2"
                name: Tỷ lệ hồ sơ trực tuyến
                max: 20
                method: ratio

        """;

    /// <summary>Version 2: 1.1 removed, 1.2 now ratio-target 80 %, 1.3 added.</summary>
    public static string Version2(string id) => $"""
        format: dti-criteria/1
        id: {id}
        version: 2
        name: Bộ thử {id}
        level: commune
        decision: {"{"} number: 2/QĐ-TEST, date: 2025-01-01, issuer: UBND tỉnh thử {"}"}
        maxPoints: 30
        tree:
          - code: "1"
            name: Nhóm một
            max: 30
            children:
              - code: "1.2"
                name: Tỷ lệ hồ sơ trực tuyến
                max: 20
                method: ratio-target
                target: "80%"
              - code: "1.3"
                name: Có chuyên mục chuyển đổi số
                max: 10
                method: yesno

        """;

    [Fact]
    public async Task Load_WhenFileIsValid_StoresTextHashAndDecision()
    {
        var yaml = Version1("thu-hop-le");
        var outcome = await db.Get<LoadCriteriaSet>().HandleAsync(yaml, "quan.tri");

        Assert.Equal(CriteriaLoadStatus.Stored, outcome.Status);
        Assert.Null(outcome.Diff);
        await using var ctx = await db.ContextAsync();
        var row = await ctx.CriteriaSetVersions.SingleAsync(v => v.SetId == "thu-hop-le");
        Assert.Equal(1, row.Version);
        Assert.Equal(yaml, row.Yaml);
        Assert.Equal(CriteriaSetVersion.HashOf(yaml), row.Sha256);
        Assert.Equal(64, row.Sha256.Length);
        Assert.Equal("1/QĐ-TEST", row.DecisionNumber);
        Assert.Equal(new DateOnly(2024, 1, 1), row.DecisionDate);
        Assert.Equal("quan.tri", row.LoadedBy);
        Assert.False(row.IsBuiltIn);
        Assert.Equal(TimeSpan.Zero, row.LoadedAt.Offset);

        var view = await db.Get<CriteriaQueries>().GetVersionAsync("thu-hop-le", 1);
        Assert.NotNull(view);
        Assert.Equal(20m, view.Set.Find("1.2")!.Max);
        Assert.Null(view.PreviousVersion);
    }

    [Fact]
    public async Task Load_WhenFileHasSeveralErrors_ReportsEachWithPathAndStoresNothing()
    {
        var yaml = Version1("thu-loi").Replace("method: yesno", "methd: yesno").Replace("level: commune", "level: village");

        var outcome = await db.Get<LoadCriteriaSet>().HandleAsync(yaml, "quan.tri");

        Assert.Equal(CriteriaLoadStatus.Invalid, outcome.Status);
        Assert.True(outcome.Errors.Count >= 3, string.Join("\n", outcome.Errors)); // unknown key, 1.1 without method, unknown level
        Assert.Contains(outcome.Errors, e => e.Path.Contains("methd", StringComparison.Ordinal) && e.Line is not null);
        Assert.Contains(outcome.Errors, e => e.Path == "tree[0].children[0].method");
        Assert.Contains(outcome.Errors, e => e.Path == "level");
        Assert.All(outcome.Errors, e => Assert.False(string.IsNullOrEmpty(e.Path)));
        await using var ctx = await db.ContextAsync();
        Assert.False(await ctx.CriteriaSetVersions.AnyAsync(v => v.SetId == "thu-loi"));
    }

    [Fact]
    public async Task Load_WhenSameVersionHasSameText_SaysUnchanged()
    {
        var load = db.Get<LoadCriteriaSet>();
        await load.HandleAsync(Version1("thu-lap-lai"), "a");

        var again = await load.HandleAsync(Version1("thu-lap-lai"), "b");

        Assert.Equal(CriteriaLoadStatus.Unchanged, again.Status);
        Assert.Contains("đã có, không thay đổi", again.Message);
        await using var ctx = await db.ContextAsync();
        Assert.Equal("a", (await ctx.CriteriaSetVersions.SingleAsync(v => v.SetId == "thu-lap-lai")).LoadedBy);
    }

    [Fact]
    public async Task Load_WhenSameVersionHasDifferentContent_IsRefusedAndStoredVersionIsUnchanged()
    {
        var load = db.Get<LoadCriteriaSet>();
        var original = Version1("thu-bat-bien");
        await load.HandleAsync(original, "a");

        // Even a comment counts: the stored text is what a past score was computed from.
        var edited = await load.HandleAsync(Version1("thu-bat-bien", comment: "sửa chú thích"), "b");
        var rescored = await load.HandleAsync(original.Replace("max: 10", "max: 5").Replace("max: 30", "max: 25").Replace("maxPoints: 30", "maxPoints: 25"), "b");

        Assert.Equal(CriteriaLoadStatus.Refused, edited.Status);
        Assert.Equal(CriteriaLoadStatus.Refused, rescored.Status);
        Assert.Contains("Phiên bản đã công bố không được sửa; hãy tăng version", rescored.Message);
        await using var ctx = await db.ContextAsync();
        var row = await ctx.CriteriaSetVersions.SingleAsync(v => v.SetId == "thu-bat-bien");
        Assert.Equal(original, row.Yaml);
        Assert.Equal("a", row.LoadedBy);
    }

    [Fact]
    public async Task Load_WhenNewVersion_ReturnsDiffAgainstPreviousVersion()
    {
        var load = db.Get<LoadCriteriaSet>();
        await load.HandleAsync(Version1("thu-phien-ban"), "a");

        var outcome = await load.HandleAsync(Version2("thu-phien-ban"), "b");

        Assert.Equal(CriteriaLoadStatus.Stored, outcome.Status);
        Assert.Equal(1, outcome.PreviousVersion);
        var diff = outcome.Diff!;
        Assert.Equal(["1.3"], diff.Added.Select(n => n.Code));
        Assert.Equal(["1.1"], diff.Removed.Select(n => n.Code));
        var changed = Assert.Single(diff.Changed);
        Assert.Equal("1.2", changed.Code);
        Assert.Equal(["method"], changed.Fields);
        Assert.Contains("cách tính", CriteriaDiffText.Field("method", changed));
        Assert.Contains("thêm 1, bỏ 1, thay đổi 1", outcome.Message);

        var queries = db.Get<CriteriaQueries>();
        var view = await queries.GetVersionAsync("thu-phien-ban", 2);
        Assert.Equal(1, view!.PreviousVersion);
        Assert.Equal([1, 2], view.AllVersions);
        var again = await queries.DiffAsync("thu-phien-ban", 1, 2);
        Assert.Equal(["1.3"], again!.Added.Select(n => n.Code));
        var set = Assert.Single(await queries.ListAsync(), s => s.SetId == "thu-phien-ban");
        Assert.Equal([2, 1], set.Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task SyncBuiltInSets_RunTwice_StoresEachBuiltInOnce()
    {
        var first = await db.Get<SyncBuiltInSets>().HandleAsync();
        var second = await db.Get<SyncBuiltInSets>().HandleAsync();

        Assert.Empty(first.Problems);
        Assert.All(second.Outcomes, o => Assert.Equal(CriteriaLoadStatus.Unchanged, o.Status));
        await using var ctx = await db.ContextAsync();
        var builtIns = await ctx.CriteriaSetVersions.Where(v => v.IsBuiltIn).OrderBy(v => v.SetId).ToListAsync();
        Assert.Equal(BuiltInLibraries.Ids, builtIns.Select(v => v.SetId));
        Assert.All(builtIns, v => Assert.Null(v.LoadedBy));
        Assert.All(builtIns, v => Assert.Equal(CriteriaSetVersion.HashOf(BuiltInLibraries.ReadText(v.SetId)!), v.Sha256));

        var list = await db.Get<CriteriaQueries>().ListAsync();
        Assert.Contains(list, s => s.SetId == "hung-yen-commune-2024" && s.Latest.IsBuiltIn && s.LevelName == "Cấp xã");
    }
}
