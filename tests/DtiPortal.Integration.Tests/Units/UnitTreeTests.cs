using DtiPortal.Application.Demo;
using DtiPortal.Application.Units;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DtiPortal.Integration.Tests.Units;

/// <summary>The demo tree and the read side of the tree page: lazy children, accent-insensitive search, details with predecessors.</summary>
public class UnitTreeTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        Assert.True(await _db.AsSystem<DemoData>().SeedAsync() > 20);
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task SeedDemo_WhenRunTwice_AddsNothingTheSecondTime()
    {
        await using var db = await _db.ContextAsync();
        var count = await db.Units.CountAsync();
        Assert.Equal(0, await _db.AsSystem<DemoData>().SeedAsync());
        Assert.Equal(count, await db.Units.CountAsync());
        Assert.True(await db.Units.AllAsync(u => u.IsDemo));
    }

    [Fact]
    public async Task Roots_AreTheProvincesTheSeedsName_AndTheDistrictsHaveCommunes()
    {
        var queries = _db.Get<UnitQueries>();
        var roots = await queries.GetChildrenAsync(null);
        Assert.Contains(roots, r => r.Name == "Bắc Giang");
        Assert.Contains(roots, r => r.Name == "Gia Lai");
        Assert.Contains(roots, r => r.Name == "Hưng Yên");
        Assert.All(roots, r => Assert.Equal("Cấp tỉnh", r.LevelName));

        var hungYen = roots.Single(r => r.Name == "Hưng Yên");
        var underHungYen = await queries.GetChildrenAsync(hungYen.Id);
        var vanLam = underHungYen.Single(c => c.Code == "33-VL");
        Assert.True(vanLam.HasChildren);
        var communes = await queries.GetChildrenAsync(vanLam.Id);
        Assert.Contains(communes, c => c.Name == "Lạc Đạo" && c.KindName == "Xã");
        Assert.True(communes.Count >= 5);
        // The two-tier tree: communes directly under the province since 1/7/2025.
        Assert.Contains(underHungYen, c => c.Code == "33-LD2025" && c.LevelName == "Cấp xã");
    }

    [Theory]
    [InlineData("lac dao")]
    [InlineData("LẠC ĐẠO")]
    [InlineData("Lac Đao")]
    public async Task Search_IgnoresAccentsAndCase(string text)
    {
        var hits = await _db.Get<UnitQueries>().SearchAsync(text);
        Assert.Contains(hits, h => h.Code == "33-VL-LDA" && h.Path == "Hưng Yên › Văn Lâm");
        Assert.Contains(hits, h => h.Code == "33-LD2025" && h.Path == "Hưng Yên");
        Assert.DoesNotContain(hits, h => h.Name == "Như Quỳnh");
    }

    [Fact]
    public async Task Search_ByCode_FindsTheUnit()
    {
        var hits = await _db.Get<UnitQueries>().SearchAsync("64-cp-idr");
        Assert.Equal("Ia Drăng", Assert.Single(hits).Name);
    }

    [Fact]
    public async Task Search_WithLikeWildcards_TreatsThemAsText()
    {
        Assert.Empty(await _db.Get<UnitQueries>().SearchAsync("%"));
        Assert.Empty(await _db.Get<UnitQueries>().SearchAsync("_"));
    }

    [Fact]
    public async Task Details_OfMergedCommune_ListPredecessors_AndPredecessorsListTheSuccessor()
    {
        var queries = _db.Get<UnitQueries>();
        var merged = (await queries.SearchAsync("33-LD2025")).Single();
        var details = await queries.GetDetailsAsync(merged.Id);
        Assert.NotNull(details);
        Assert.Equal(["Chỉ Đạo", "Đại Đồng", "Lạc Đạo"], details.Predecessors.Select(p => p.Name).Order(StringComparer.Create(new System.Globalization.CultureInfo("vi-VN"), false)));
        Assert.All(details.Predecessors, p => Assert.Equal("Sáp nhập", p.Relation));
        Assert.Equal(new DateOnly(2025, 7, 1), details.ValidFrom);
        Assert.Equal(["Hưng Yên"], details.Ancestors.Select(a => a.Name));

        var old = await queries.GetDetailsAsync(details.Predecessors.First(p => p.Code == "33-VL-LDA").Id);
        Assert.Equal("33-LD2025", Assert.Single(old!.Successors).Code);
        Assert.Equal(new DateOnly(2025, 6, 30), old.ValidTo);
        Assert.Equal(["Hưng Yên", "Văn Lâm"], old.Ancestors.Select(a => a.Name));
    }

    [Fact]
    public async Task Details_OfUnknownId_IsNull() =>
        Assert.Null(await _db.Get<UnitQueries>().GetDetailsAsync(-1));
}
