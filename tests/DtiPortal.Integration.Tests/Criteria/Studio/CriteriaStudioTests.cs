using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Criteria.Studio;
using DtiPortal.Application.Data;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Criteria;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Criteria.Studio;

/// <summary>Issue 14: the studio's use cases on the real PostgreSQL — who sees a draft, publishing, deleting, refusals.</summary>
public class CriteriaStudioTests(StudioFixture fx) : IClassFixture<StudioFixture>
{
    private const string Source = StudioFixture.BuiltInId;

    private async Task<int> CopyAsProvinceP()
    {
        var result = await fx.As<CriteriaStudio>(fx.AdminP).CopyAsync(Source, 1);
        Assert.True(result.Succeeded, result.Message);
        return result.DraftId!.Value;
    }

    /// <summary>The draft with 1.1 worth 25 instead of 20 and its parents fixed to match (or not, with <paramref name="fixParents"/> false).</summary>
    private static string Edited(string yaml, bool fixParents = true, string? id = null)
    {
        var doc = DraftDocument.TryLoad(yaml, out _)!;
        doc.SetField(doc.Nodes().Single(n => n.Code == "1.1").Path, "max", "25");
        if (fixParents)
        {
            doc.SetField(doc.Nodes().Single(n => n.Code == "1").Path, "max", "105");
            doc.SetHeader("maxPoints", "1005");
        }
        if (id is not null) doc.SetHeader("id", id);
        return doc.ToYaml();
    }

    [Fact]
    public async Task Copy_OfANationalSetByAProvince_GetsItsOwnIdAndVersion1_OwnedByTheProvince()
    {
        var id = await CopyAsProvinceP();
        var draft = await fx.As<CriteriaStudio>(fx.AdminP).GetAsync(id);
        Assert.NotNull(draft);
        Assert.Equal(fx.Units["P"], draft.OwnerUnitId);
        var header = DraftHeader.Read(draft.Yaml);
        Assert.StartsWith(Source + "-ban-sao", header.SetId);
        Assert.Equal(1, header.Version);
        Assert.Contains("# I. THÔNG TIN CHUNG", draft.Yaml); // the copy keeps the set's comments
        Assert.Equal($"Bản sao của {Source} v1", draft.Origin);
    }

    [Fact]
    public async Task Draft_OfAProvincialAdmin_IsInvisibleToAnotherProvincesAdminAndToOfficers()
    {
        var id = await CopyAsProvinceP();
        Assert.Contains(await fx.As<CriteriaStudio>(fx.AdminP).ListAsync(), d => d.Id == id);

        var other = fx.As<CriteriaStudio>(fx.AdminQ);
        Assert.DoesNotContain(await other.ListAsync(), d => d.Id == id);
        Assert.Null(await other.GetAsync(id));
        var save = await other.SaveAsync(id, "format: x", 1);
        Assert.False(save.Saved);
        Assert.Contains("Không tìm thấy bản nháp", save.Message);
        var delete = await other.DeleteAsync(id);
        Assert.False(delete.Succeeded);
        Assert.False((await other.PublishAsync(id)).Published);

        // Officers may not use the studio at all, in the province or out of it.
        foreach (var officer in new[] { fx.OfficerP1a, fx.OfficerQ1a })
        {
            var ex = await Assert.ThrowsAsync<AccessDeniedException>(() => fx.As<CriteriaStudio>(officer).ListAsync());
            Assert.Equal("Bạn không có vai trò được phép thực hiện thao tác này.", ex.Message);
        }

        // Row-level security hides it too, with the query filter switched off.
        await using (var s = fx.Db.ScopeAs(fx.AdminQ))
        await using (var db = await s.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync())
            Assert.False(await db.CriteriaSetDrafts.IgnoreQueryFilters().AnyAsync(d => d.Id == id));
        await using (var s = fx.Db.ScopeAs(fx.OfficerP1a))
        await using (var db = await s.ServiceProvider.GetRequiredService<IDbContextFactory<DtiDbContext>>().CreateDbContextAsync())
            Assert.False(await db.CriteriaSetDrafts.IgnoreQueryFilters().AnyAsync(d => d.Id == id));

        // The draft is unchanged by the refused attempts.
        var mine = await fx.As<CriteriaStudio>(fx.AdminP).GetAsync(id);
        Assert.Equal(1, mine!.Revision);
    }

    [Fact]
    public async Task NationalDraft_IsVisibleOnlyToSystemAdmins()
    {
        var created = await fx.As<CriteriaStudio>(fx.SystemAdmin).CreateEmptyAsync("district");
        Assert.True(created.Succeeded, created.Message);
        var draft = await fx.As<CriteriaStudio>(fx.SystemAdmin).GetAsync(created.DraftId!.Value);
        Assert.Null(draft!.OwnerUnitId);
        Assert.Equal("Toàn quốc", draft.OwnerName);
        Assert.Null(await fx.As<CriteriaStudio>(fx.AdminP).GetAsync(created.DraftId!.Value));
        Assert.DoesNotContain(await fx.As<CriteriaStudio>(fx.AdminP).ListAsync(), d => d.Id == created.DraftId);
    }

    [Fact]
    public async Task Save_WithAnOlderRevision_IsRefusedAsAConflict_AndKeepsTheNewerText()
    {
        var id = await CopyAsProvinceP();
        var studio = fx.As<CriteriaStudio>(fx.AdminP);
        var draft = (await studio.GetAsync(id))!;
        var first = await studio.SaveAsync(id, Edited(draft.Yaml), draft.Revision);
        Assert.True(first.Saved, first.Message);
        Assert.Equal(draft.Revision + 1, first.Revision);
        var stale = await studio.SaveAsync(id, draft.Yaml, draft.Revision);
        Assert.False(stale.Saved);
        Assert.True(stale.Conflict);
        Assert.Contains("Bản nháp đã được lưu ở nơi khác", stale.Message);
        Assert.Equal(Edited(draft.Yaml), (await studio.GetAsync(id))!.Yaml);
    }

    [Fact]
    public async Task Publish_WithErrors_IsRefusedWithTheLoadersMessages_AndStoresNothing()
    {
        var id = await CopyAsProvinceP();
        var studio = fx.As<CriteriaStudio>(fx.AdminP);
        var draft = (await studio.GetAsync(id))!;
        Assert.True((await studio.SaveAsync(id, Edited(draft.Yaml, fixParents: false), draft.Revision)).Saved);
        var result = await studio.PublishAsync(id);
        Assert.False(result.Published);
        Assert.Equal("Bộ chỉ số còn 1 lỗi; hãy sửa hết trước khi công bố.", result.Message);
        Assert.Contains(result.Errors, e => e.Path == "tree[0].max" && e.Message.Contains("(105) khác điểm tối đa của '1' (100)"));
        await using var owner = fx.Db.OwnerContext();
        Assert.False(await owner.CriteriaSetVersions.AnyAsync(v => v.SetId == DraftHeader.Read(draft.Yaml).SetId));
        Assert.True(await owner.CriteriaSetDrafts.AnyAsync(d => d.Id == id));
    }

    [Fact]
    public async Task Publish_AVersionOfANationalSetByAProvince_IsRefused()
    {
        var id = await CopyAsProvinceP();
        var studio = fx.As<CriteriaStudio>(fx.AdminP);
        var draft = (await studio.GetAsync(id))!;
        var yaml = CriteriaStudio.WithHeader(Edited(draft.Yaml), Source, 2);
        Assert.True((await studio.SaveAsync(id, yaml, draft.Revision)).Saved);
        var result = await studio.PublishAsync(id);
        Assert.False(result.Published);
        Assert.Equal($"Mã bộ chỉ số \"{Source}\" đã được dùng cho bộ chỉ số quốc gia; hãy đặt mã khác (trường id) cho bộ chỉ số này.", result.Message);
        await using var owner = fx.Db.OwnerContext();
        Assert.False(await owner.CriteriaSetVersions.AnyAsync(v => v.SetId == Source && v.Version == 2));
    }

    [Fact]
    public async Task Publish_StoresAnImmutableProvincialVersion_UsableOnlyInThatProvince()
    {
        var id = await CopyAsProvinceP();
        var studio = fx.As<CriteriaStudio>(fx.AdminP);
        var draft = (await studio.GetAsync(id))!;
        var setId = "p-commune-2025-" + id;
        var yaml = Edited(draft.Yaml, id: setId);
        Assert.True((await studio.SaveAsync(id, yaml, draft.Revision)).Saved);
        var pdf = new MemoryStream("%PDF-1.4\n% quyết định thử\n"u8.ToArray());
        Assert.True((await studio.AttachDecisionAsync(id, pdf, "QĐ 12-UBND.pdf")).Succeeded);
        Assert.False((await studio.AttachDecisionAsync(id, new MemoryStream("không phải PDF"u8.ToArray()), "x.pdf")).Succeeded);

        var preview = await studio.PreviewAsync(id);
        Assert.Equal(Source, preview!.PreviousSetId);
        var changed = Assert.Single(preview.Diff!.Changed, c => c.Code == "1.1");
        Assert.Contains("max", changed.Fields);

        var result = await studio.PublishAsync(id);
        Assert.True(result.Published, result.Message);
        Assert.Equal((setId, 1), (result.SetId, result.Version));

        await using (var owner = fx.Db.OwnerContext())
        {
            var version = await owner.CriteriaSetVersions.SingleAsync(v => v.SetId == setId);
            Assert.Equal(fx.Units["P"], version.OwnerUnitId);
            Assert.Equal(yaml, version.Yaml);
            Assert.Equal(CriteriaSetVersion.HashOf(yaml), version.Sha256);
            Assert.Equal("QĐ 12-UBND.pdf", version.DecisionDocumentName);
            Assert.False(await owner.CriteriaSetDrafts.AnyAsync(d => d.Id == id));
            Assert.Contains(await owner.AuditLog.Where(a => a.Action == "Công bố bộ chỉ số").Select(a => a.EntityId).ToListAsync(), e => e == $"{setId}/1");
        }
        var opened = await fx.As<CriteriaStudio>(fx.OfficerP1a).OpenDecisionAsync(null, setId, 1);
        Assert.NotNull(opened);
        Assert.Null(await fx.As<CriteriaStudio>(fx.OfficerQ1a).OpenDecisionAsync(null, setId, 1));

        // Listed in the province (admins and officers), not in another.
        Assert.Contains(await fx.As<CriteriaQueries>(fx.AdminP).ListAsync(), s => s.SetId == setId);
        Assert.Contains(await fx.As<CriteriaQueries>(fx.OfficerP1a).ListAsync(), s => s.SetId == setId);
        Assert.DoesNotContain(await fx.As<CriteriaQueries>(fx.AdminQ).ListAsync(), s => s.SetId == setId);
        Assert.DoesNotContain(await fx.As<CriteriaQueries>(fx.OfficerQ1a).VersionOptionsAsync(), s => s.SetId == setId);
        Assert.Null(await fx.As<CriteriaQueries>(fx.AdminQ).GetVersionAsync(setId, 1));
        Assert.Contains(await fx.As<CriteriaQueries>(fx.AdminQ).ListAsync(), s => s.SetId == Source); // national sets everywhere

        // Rounds can use it at once in the province; another province's round is refused.
        var versionId = (await fx.As<CriteriaQueries>(fx.AdminP).VersionOptionsAsync()).Single(v => v.SetId == setId).Id;
        var inP = await fx.As<RoundAdmin>(fx.AdminP).CreateAsync(Round(versionId, fx.Units["P"]));
        Assert.True(inP.Succeeded, string.Join("; ", inP.Errors.Select(e => e.Message)));
        Assert.Equal(2, inP.AssessmentCount);
        var inQ = await fx.As<RoundAdmin>(fx.SystemAdmin).CreateAsync(Round(versionId, fx.Units["Q"]));
        Assert.False(inQ.Succeeded);
        Assert.Contains(inQ.Errors, e => e.Message == $"Bộ chỉ số {setId} v1 là bộ chỉ số riêng của tỉnh khác, không dùng được cho Đơn vị Q.");

        // Published versions cannot be published again with other content, nor deleted (the draft is gone).
        Assert.False((await studio.DeleteAsync(id)).Succeeded);
    }

    [Fact]
    public async Task Delete_RemovesTheDraft_AndIsAudited()
    {
        var id = await CopyAsProvinceP();
        var result = await fx.As<CriteriaStudio>(fx.AdminP).DeleteAsync(id);
        Assert.True(result.Succeeded, result.Message);
        await using var owner = fx.Db.OwnerContext();
        Assert.False(await owner.CriteriaSetDrafts.AnyAsync(d => d.Id == id));
        var entry = await owner.AuditLog.SingleAsync(a => a.Action == "Xóa bản nháp bộ chỉ số" && a.EntityId == id.ToString());
        Assert.Equal(fx.Units["P"], entry.UnitId);
        Assert.Equal("provincialadmin.p", entry.UserName);
    }

    [Fact]
    public async Task CreateFromYaml_RefusesWhatIsNotText_AndKeepsAFileWithErrorsAsADraft()
    {
        var studio = fx.As<CriteriaStudio>(fx.AdminP);
        var binary = await studio.CreateFromYamlAsync(new MemoryStream([0xff, 0xfe, 0x00, 0xd8]), "bo.yaml");
        Assert.False(binary.Succeeded);
        Assert.Equal("Tệp \"bo.yaml\" lớn hơn 2 MB hoặc không phải văn bản UTF-8.", binary.Message);
        var withErrors = await studio.CreateFromYamlAsync(new MemoryStream("format: dti-criteria/1\nid: Sai Mã\n"u8.ToArray()), "bo.yaml");
        Assert.True(withErrors.Succeeded, withErrors.Message);
        var draft = await studio.GetAsync(withErrors.DraftId!.Value);
        Assert.Contains(CriteriaSetLoader.Parse(draft!.Yaml).Errors, e => e.Path == "id");
    }

    [Fact]
    public async Task ScoreOnRound_ComparesEveryUnitUnderBothSets_AndNamesTheMovers()
    {
        var versionId = (await fx.As<CriteriaQueries>(fx.AdminP).VersionOptionsAsync()).Single(v => v.SetId == Source && v.Version == 1).Id;
        var round = await fx.As<RoundAdmin>(fx.AdminP).CreateAsync(Round(versionId, fx.Units["P"]) with { Name = "Đợt chấm thử" });
        Assert.True(round.Succeeded);
        await using (var owner = fx.Db.OwnerContext())
        {
            var assessment = await owner.Assessments.SingleAsync(a => a.RoundId == round.RoundId && a.UnitId == fx.Units["P1a"]);
            var value = new AssessmentValue(assessment, "2.1");
            value.Set("true", DateTimeOffset.UtcNow, null, "test");
            owner.AssessmentValues.Add(value);
            await owner.SaveChangesAsync();
        }
        // The draft: 2.1 worth 25 instead of 20 (group 2 and the total follow).
        var doc = DraftDocument.TryLoad(BuiltInLibraries.ReadText(Source)!, out _)!;
        doc.SetField(doc.Nodes().Single(n => n.Code == "2.1").Path, "max", "25");
        doc.SetField(doc.Nodes().Single(n => n.Code == "2").Path, "max", "105");
        doc.SetHeader("maxPoints", "1005");
        var draft = CriteriaSetLoader.Parse(doc.ToYaml()).Set!;

        var trial = fx.As<StudioTrial>(fx.AdminP);
        Assert.Contains(await trial.RoundsAsync("commune"), r => r.Id == round.RoundId);
        Assert.DoesNotContain(await fx.As<StudioTrial>(fx.AdminQ).RoundsAsync("commune"), r => r.Id == round.RoundId);
        var result = await trial.ScoreOnRoundAsync(draft, round.RoundId!.Value);
        Assert.True(result.Ok, result.Message);
        Assert.Equal(2, result.Units.Count);
        var p1a = result.Units.Single(u => u.UnitName == "Đơn vị P1a");
        Assert.Equal((20m, 25m), (p1a.RoundTotal, p1a.DraftTotal));
        Assert.Equal(p1a, Assert.Single(result.LargestMovers));
        Assert.Contains(result.MissingInputs, m => m.Address == "2.2");
        Assert.DoesNotContain(result.MissingInputs, m => m.Address == "2.1");

        var refused = await fx.As<StudioTrial>(fx.AdminQ).ScoreOnRoundAsync(draft, round.RoundId!.Value);
        Assert.False(refused.Ok);
        Assert.Equal("Không tìm thấy đợt đánh giá này trong phạm vi quản lý của bạn.", refused.Message);
    }

    [Fact]
    public void TryCriterion_ScoresTypedFigures_AndNamesABadField()
    {
        var set = BuiltInLibraries.Load(Source);
        var ok = StudioTrial.TryCriterion(set, "2.1", new Dictionary<string, string?> { ["2.1"] = "có" }, 2024);
        Assert.True(ok.Ok);
        Assert.Equal(20m, ok.Points);
        Assert.False(string.IsNullOrWhiteSpace(ok.Explanation));
        var bad = StudioTrial.TryCriterion(set, "2.1", new Dictionary<string, string?> { ["2.1"] = "chắc có" }, 2024);
        Assert.False(bad.Ok);
        Assert.Contains("chọn Có hoặc Không", Assert.Single(bad.Errors).Message);
    }

    private static CreateRoundRequest Round(int versionId, int province) => new(2024, "Đợt thử bộ mới", versionId, province, "commune",
        new DateOnly(2024, 11, 30), new DateOnly(2024, 12, 10), new DateOnly(2024, 12, 20), HasDistrictTier: false);
}
