using System.Text.Json;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Assessments;

public class RoundAdminTests(AssessmentFixture fx) : IClassFixture<AssessmentFixture>
{
    [Fact]
    public async Task CreateAsync_WhenValid_CreatesOneDraftAssessmentPerCommuneValidThatYear()
    {
        var (roundId, assessments) = await fx.NewRoundAsync();

        Assert.Equal(["C1", "C2", "C3"], assessments.Keys.Order()); // not OLD (merged in 2023), NEW (from 2025) or Q1 (another province)
        await using var owner = fx.Db.OwnerContext();
        Assert.All(await owner.Assessments.Where(a => a.RoundId == roundId).ToListAsync(), a => Assert.Equal(AssessmentStatus.Draft, a.Status));
        var assignments = await owner.CriterionAssignments.Where(a => a.AssessmentId == assessments["C1"])
            .ToDictionaryAsync(a => a.CriterionCode, a => a.Department);
        Assert.Equal(6, assignments.Count);
        Assert.Equal(AssessmentFixture.Office, assignments["1.1"]); // the set's lead column
        Assert.Null(assignments["1.2"]);

        var rounds = await fx.AsAsync<RoundAdmin, IReadOnlyList<RoundSummary>>(fx.ProvincialAdmin(), r => r.ListAsync());
        var summary = Assert.Single(rounds, r => r.Id == roundId);
        Assert.Equal(3, summary.AssessmentCount);
        Assert.Equal(AssessmentFixture.SetId, summary.SetId);
        Assert.True(summary.HasDistrictTier);
        Assert.Empty(await fx.AsAsync<RoundAdmin, IReadOnlyList<RoundSummary>>(fx.ProvincialAdmin("Q"), r => r.ListAsync()));
    }

    [Fact]
    public async Task CreateAsync_WhenInvalid_ReturnsVietnameseFieldMessagesAndCreatesNothing()
    {
        var bad = fx.Request("") with
        {
            Year = 1999, LevelCode = "district", ReviewDeadline = new DateOnly(2024, 12, 1), CouncilDeadline = new DateOnly(2024, 11, 1),
        };
        var result = await fx.AsAsync<RoundAdmin, CreateRoundResult>(fx.ProvincialAdmin(), r => r.CreateAsync(bad));

        Assert.Contains(result.Errors, e => e.Field == "Name" && e.Message == "Nhập tên đợt đánh giá.");
        Assert.Contains(result.Errors, e => e.Field == "Year" && e.Message.StartsWith("Năm đánh giá 1999 không hợp lý"));
        Assert.Contains(result.Errors, e => e.Field == "ReviewDeadline" && e.Message == "Hạn thẩm tra phải bằng hoặc sau hạn nhập số liệu.");
        Assert.Contains(result.Errors, e => e.Field == "CouncilDeadline");
        Assert.Contains(result.Errors, e => e.Field == "CriteriaSetVersionId" && e.Message.Contains("dùng cho cấp xã"));
        Assert.Null(result.RoundId);

        var notProvince = fx.Request() with { ProvinceUnitId = fx.Units["D"] };
        var system = await fx.AsAsync<RoundAdmin, CreateRoundResult>(FixedUnitScope.System, r => r.CreateAsync(notProvince));
        Assert.Contains(system.Errors, e => e.Message == "Đơn vị được chọn không phải là tỉnh/thành phố.");
    }

    [Fact]
    public async Task CreateAsync_WhenCommuneOfficerOrAnotherProvincesAdmin_ThrowsAccessDenied()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.AsAsync<RoundAdmin, CreateRoundResult>(fx.Officer(), r => r.CreateAsync(fx.Request())));
        await Assert.ThrowsAsync<AccessDeniedException>(() => fx.AsAsync<RoundAdmin, CreateRoundResult>(fx.ProvincialAdmin("Q"), r => r.CreateAsync(fx.Request())));
    }

    [Fact]
    public async Task CloseAndExtend_WhenDone_AreAuditedWithBeforeAndAfter()
    {
        var (roundId, assessments) = await fx.NewRoundAsync();
        var closed = await fx.AsAsync<RoundAdmin, CommandResult>(fx.ProvincialAdmin(), r => r.CloseAsync(roundId, "Hết hạn nhập"));
        Assert.True(closed.Succeeded, closed.Error);
        var save = await fx.SaveAsync(fx.Officer(), assessments["C1"], "1.2", "có");
        Assert.Equal("Đợt đánh giá đã khóa, không thể nhập hoặc nộp số liệu.", save.Error);

        var tooEarly = await fx.AsAsync<RoundAdmin, CommandResult>(fx.ProvincialAdmin(), r => r.ExtendAsync(roundId, new DateOnly(2099, 12, 1), "Gia hạn"));
        Assert.Equal("Hạn nhập mới phải sau hạn hiện tại (11/12/2099).", tooEarly.Error);
        var extended = await fx.AsAsync<RoundAdmin, CommandResult>(fx.ProvincialAdmin(), r => r.ExtendAsync(roundId, new DateOnly(2099, 12, 14), "Xã xin gia hạn"));
        Assert.True(extended.Succeeded, extended.Error);
        Assert.True((await fx.SaveAsync(fx.Officer(), assessments["C1"], "1.2", "có")).Saved); // reopened

        await using var owner = fx.Db.OwnerContext();
        var entries = await owner.AuditLog.Where(e => e.EntityType == nameof(AssessmentRound) && e.EntityId == roundId.ToString())
            .OrderBy(e => e.Id).ToListAsync();
        var close = Assert.Single(entries, e => e.Action == "RoundClosed");
        Assert.Equal("Open", JsonDocument.Parse(close.Before!).RootElement.GetProperty("Status").GetString());
        Assert.Equal("Closed", JsonDocument.Parse(close.After!).RootElement.GetProperty("Status").GetString());
        Assert.Equal("admin-P", close.UserId);
        var extend = Assert.Single(entries, e => e.Action == "RoundExtended");
        Assert.Equal("2099-12-11", JsonDocument.Parse(extend.Before!).RootElement.GetProperty("EntryDeadline").GetString());
        Assert.Equal("2099-12-14", JsonDocument.Parse(extend.After!).RootElement.GetProperty("EntryDeadline").GetString());
    }

    [Fact]
    public void PeriodDeadlines_WhenAsked_GiveSeed000Dates()
    {
        var d = RoundAdmin.PeriodDeadlines(2024);
        Assert.Equal(new PeriodDeadline("Q1", new DateOnly(2024, 3, 14)), d[0]);
        Assert.Equal(new DateOnly(2024, 12, 11), d.Single(p => p.Period == "year").Deadline);
    }
}
