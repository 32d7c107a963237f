using DtiPortal.Application.PublicResults;
using DtiPortal.Application.Reviews;
using DtiPortal.Integration.Tests.Cli;
using DtiPortal.Integration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.PublicResults;

/// <summary>`dti demo generate` end to end: the tool as a separate process on a migrated database, then the data read back.</summary>
public class DemoGenerateCommandTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Generate_200Units_CreatesDemoUnitsRoundsAndStoredResults_AndRefusesASecondRun()
    {
        Assert.Equal(0, (await DtiProcess.RunAsync(db.ConnectionString, "migrate")).Code);
        var (code, stdout, stderr) = await DtiProcess.RunAsync(db.ConnectionString, "demo", "generate", "--units", "200", "--province-count", "4");
        Assert.True(code == 0, stderr);
        Assert.Contains("Đã sinh dữ liệu mẫu", stdout);
        Assert.Contains("4 tỉnh", stdout);
        Assert.Contains("200 xã", stdout);
        Assert.Contains("3 đợt đã công bố", stdout);

        await using (var owner = db.OwnerContext())
        {
            var units = await owner.Units.Where(u => u.Code.StartsWith(DemoGenerator.CodePrefix)).ToListAsync();
            Assert.All(units, u => Assert.True(u.IsDemo));
            Assert.Equal(200, units.Count(u => u.LevelCode == "commune"));
            Assert.Equal(4, units.Count(u => u.LevelCode == "province"));
            Assert.Equal(4, await owner.AssessmentRounds.CountAsync());
            Assert.Equal(200, await owner.Assessments.CountAsync());
            Assert.True(await owner.AssessmentValues.CountAsync() > 200 * 40);

            // Every recognised assessment carries its stored result: the same total, the main indices adding up to it.
            var recognised = await (from a in owner.Assessments
                                    join r in owner.RecognisedResults on a.Id equals r.AssessmentId
                                    select new { a.Status, a.RecognisedTotal, r.Total, r.ResultJson }).ToListAsync();
            Assert.True(recognised.Count > 150);
            Assert.All(recognised, x =>
            {
                Assert.Equal(x.Total, x.RecognisedTotal);
                Assert.Equal(x.Total, Recognition.ReadRows(x.ResultJson).Where(r => r.Depth == 0).Sum(r => r.AchievedPoints));
            });
        }

        // The national ranking holds exactly the published assessments of the three published rounds.
        int published, versionId;
        await using (var owner = db.OwnerContext())
        {
            published = await owner.Assessments.CountAsync(a => a.Status == AssessmentStatus.Published);
            versionId = await owner.AssessmentRounds.Select(r => r.CriteriaSetVersionId).FirstAsync();
        }
        var national = await db.Services.GetRequiredService<PublicResultsReader>().LoadNationalAsync(2024, versionId);
        Assert.NotNull(national);
        Assert.Equal(published, national.Ranking.Rows.Count);
        Assert.Equal(3, national.Key.RoundCount);

        var again = await DtiProcess.RunAsync(db.ConnectionString, "demo", "generate", "--units", "200", "--province-count", "4");
        Assert.Equal(1, again.Code);
        Assert.Contains("không chạy lần thứ hai", again.Stderr);
    }
}
