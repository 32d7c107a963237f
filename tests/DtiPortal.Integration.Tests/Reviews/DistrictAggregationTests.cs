using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Reviews;

/// <summary>DOMAIN.md §4b: a district's general criterion (I.1) is scored on its communes' recognised levels at appraisal.</summary>
public class DistrictAggregationTests(ReviewFixture fx) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task DistrictGeneralCriterion_UsesTheCommunesRecognisedLevels_NotTheFiguresTheDistrictTyped()
    {
        await using (var s = fx.Entry.Db.ScopeAs(FixedUnitScope.System))
            await s.ServiceProvider.GetRequiredService<SyncBuiltInSets>().HandleAsync();
        int districtAssessment;
        await using (var db = fx.Entry.Db.OwnerContext())
        {
            var districtSet = await db.CriteriaSetVersions.Where(v => v.SetId == "mic-2361-district").Select(v => v.Id).SingleAsync();
            var communeSet = await db.CriteriaSetVersions.Where(v => v.SetId == "mic-2361-commune").Select(v => v.Id).SingleAsync();
            var now = DateTimeOffset.UtcNow;
            var communes = new AssessmentRound(2025, "Đợt cấp xã 2025", communeSet, fx.Entry.Units["P"], UnitLevel.Commune,
                new DateOnly(2025, 12, 11), new DateOnly(2025, 12, 15), new DateOnly(2025, 12, 20), true, now, "test");
            var districts = new AssessmentRound(2025, "Đợt cấp huyện 2025", districtSet, fx.Entry.Units["P"], UnitLevel.District,
                new DateOnly(2025, 12, 11), new DateOnly(2025, 12, 15), new DateOnly(2025, 12, 20), false, now, "test");
            db.AssessmentRounds.AddRange(communes, districts);
            await db.SaveChangesAsync();
            // C1 and C3 recognised at level 3, C2 at level 2; OLD was merged away in 2023 and does not count.
            foreach (var (unit, level) in new[] { ("C1", 3), ("C2", 2), ("C3", 3) })
            {
                var a = new Assessment(communes.Id, fx.Entry.Units[unit]);
                db.Assessments.Add(a);
                await db.SaveChangesAsync();
                await db.Database.ExecuteSqlAsync($"update assessments set status = 'Approved', recognised_level = {level}, review_cycle = 1 where id = {a.Id}");
            }
            var district = new Assessment(districts.Id, fx.Entry.Units["D"]);
            db.Assessments.Add(district);
            await db.SaveChangesAsync();
            var typed = new AssessmentValue(district.Id, district.UnitId, "I.1");
            typed.Set("[5,5,5]", now, null, "test"); // what the district typed: everyone at level 5
            db.AssessmentValues.Add(typed);
            await db.SaveChangesAsync();
            districtAssessment = district.Id;
        }
        await fx.ForceAsync(districtAssessment, AssessmentStatus.UnderCouncilAppraisal);

        var review = await fx.ReviewAsync(fx.Chair(), districtAssessment);
        var general = review.Criteria.Single(c => c.Code == "I.1");
        Assert.Equal(5, general.SelfLevelMet);     // the typed list
        Assert.Equal(3, general.AchievedLevelMet); // [3, 2, 3]: all ≥ 2 and ≥ 50% ≥ 3 → level 3; not all ≥ 3 → not 4

        var approved = await fx.TransitionAsync(fx.Chair(), districtAssessment, WorkflowAction.Approve);
        Assert.True(approved.Ok, approved.Error);
        await using var check = fx.Entry.Db.OwnerContext();
        var rows = Recognition.ReadRows((await check.RecognisedResults.SingleAsync(r => r.AssessmentId == districtAssessment)).ResultJson);
        Assert.Equal(3, rows.Single(r => r.Code == "I.1").AchievedLevelMet);
    }
}
