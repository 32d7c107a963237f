using DtiPortal.Application.Assessments;
using DtiPortal.Application.Evidence;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Reporting;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using DtiPortal.Domain.Units;
using DtiPortal.Integration.Tests.Assessments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Integration.Tests.Reporting;

/// <summary>
/// The data-entry fixture (province P › district D › C1, C2, C3; NEW under P from 1/7/2025; Q › Q1) plus: communes M1 and M2
/// of D that existed until 30/6/2025 and were merged into NEW (its predecessors), and a second district D2 › E1, E2.
/// A 2024 commune round of P therefore holds C1, C2, C3, M1, M2, E1, E2; a 2025 round C1, C2, C3, NEW, E1, E2.
/// Figures and states are written as the tables' owner, so each test states exactly what the dashboard must count.
/// </summary>
public sealed class ReportingFixture : IAsyncLifetime
{
    public AssessmentFixture Entry { get; } = new();
    public CriteriaSet Set { get; } = CriteriaSetLoader.Parse(AssessmentFixture.SetYaml).Set!;
    public Dictionary<string, int> Units => Entry.Units;

    public async Task InitializeAsync()
    {
        await Entry.InitializeAsync();
        await using (var db = Entry.Db.OwnerContext())
        {
            async Task Add(string code, UnitKind kind, string parent, DateOnly? to = null)
            {
                var unit = new AdministrativeUnit(code, code, kind, kind.LevelCode(), Units[parent], null, to);
                db.Units.Add(unit);
                await db.SaveChangesAsync();
                Units[code] = unit.Id;
            }
            await Add("M1", UnitKind.Xa, "D", new DateOnly(2025, 6, 30));
            await Add("M2", UnitKind.Xa, "D", new DateOnly(2025, 6, 30));
            await Add("D2", UnitKind.Huyen, "P");
            await Add("E1", UnitKind.Xa, "D2");
            await Add("E2", UnitKind.Xa, "D2");
            var merged = await db.Units.Include(u => u.Predecessors).SingleAsync(u => u.Id == Units["NEW"]);
            merged.AddPredecessor(Units["M1"], PredecessorKind.Merged);
            merged.AddPredecessor(Units["M2"], PredecessorKind.Merged);
            await db.SaveChangesAsync();
        }
        Entry.Db.Services.GetRequiredService<UnitHierarchy>().Invalidate();
    }

    public Task DisposeAsync() => Entry.DisposeAsync();

    private IReadOnlySet<int> Subtree(string unit) => Entry.Db.Services.GetRequiredService<UnitHierarchy>().Subtree(Units[unit]);

    public IUnitScope ProvincialAdmin(string province = "P") => Entry.ProvincialAdmin(province);

    public IUnitScope Council() =>
        new FixedUnitScope("chair-p", "chutich.p", false, Subtree("P"), new HashSet<string> { Roles.CouncilMember, Roles.CouncilChair }, "127.0.0.1", Units["P"]);

    public IUnitScope Reviewer(string district = "D") =>
        new FixedUnitScope("reviewer-" + district, "thamtra." + district.ToLowerInvariant(), false, Subtree(district),
            new HashSet<string> { Roles.DistrictReviewer }, "127.0.0.1", Units[district]);

    /// <summary>Opens a round of P for the year (as its provincial admin); returns its id and the assessment id of each unit code.</summary>
    public async Task<(int RoundId, Dictionary<string, int> Assessments)> NewRoundAsync(int year = 2024, DateOnly? entryDeadline = null)
    {
        var entry = entryDeadline ?? new DateOnly(year, 12, 11);
        var request = Entry.Request($"Đợt thử {year} {Guid.NewGuid():N}") with
        {
            Year = year, EntryDeadline = entry, ReviewDeadline = entry.AddDays(4), CouncilDeadline = entry.AddDays(14),
        };
        await using var s = Entry.Db.ScopeAs(ProvincialAdmin());
        var result = await s.ServiceProvider.GetRequiredService<RoundAdmin>().CreateAsync(request);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        await using var owner = Entry.Db.OwnerContext();
        var byUnit = await owner.Assessments.Where(a => a.RoundId == result.RoundId).ToDictionaryAsync(a => a.UnitId, a => a.Id);
        return (result.RoundId!.Value, Units.Where(u => byUnit.ContainsKey(u.Value)).ToDictionary(u => u.Key, u => byUnit[u.Value]));
    }

    /// <summary>
    /// A complete set of figures for the test set; <paramref name="level"/> (0…1) moves every ratio, so units differ.
    /// Keys as the engine reads them: inputs by address, general information by printed code.
    /// </summary>
    public static UnitValues Figures(string unit, decimal level) => new(unit,
        new Dictionary<string, object?>
        {
            ["1.1"] = level >= 0.5m ? 1 : 2,
            ["1.2"] = level >= 0.3m,
            ["1.3.a"] = Math.Round(9120 * level),
            ["1.4.a"] = Math.Round(12 * level),
            ["1.4.b"] = 12m,
            ["1.5.a"] = Math.Round(2450 * level * 0.8m),
            ["1.6"] = Math.Round(100 * level, 1),
        },
        new Dictionary<string, object?> { ["1.4"] = 9120m, ["1.6"] = 2450m });

    /// <summary>Stores the figures as the unit's values (JSON as data entry stores them).</summary>
    public async Task StoreAsync(int assessmentId, UnitValues values)
    {
        await using var db = Entry.Db.OwnerContext();
        var unitId = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.UnitId).SingleAsync();
        foreach (var (address, value) in values.Values.Concat((values.General ?? new Dictionary<string, object?>())
                     .Select(kv => KeyValuePair.Create(AssessmentValue.GeneralPrefix + kv.Key, kv.Value))))
        {
            var row = new AssessmentValue(assessmentId, unitId, address);
            row.Set(ValueText.ToJson(value), DateTimeOffset.UtcNow, null, "test");
            db.AssessmentValues.Add(row);
        }
        await db.SaveChangesAsync();
    }

    /// <summary>Puts an assessment in a state; for approved/published ones, with a recognised total and level (as approval copies them).</summary>
    public async Task SetStatusAsync(int assessmentId, AssessmentStatus status, decimal? recognisedTotal = null, int? recognisedLevel = null)
    {
        await using var db = Entry.Db.OwnerContext();
        var name = status.ToString();
        await db.Database.ExecuteSqlAsync(
            $"update assessments set status = {name}, review_cycle = greatest(review_cycle, 1), recognised_total = {recognisedTotal}, recognised_level = {recognisedLevel} where id = {assessmentId}");
    }

    /// <summary>Stores a recognised result (as approval does: per-criterion rows as JSON) and marks the assessment approved with its total.</summary>
    public async Task RecogniseAsync(int assessmentId, UnitResult result, int version = 1)
    {
        await using (var db = Entry.Db.OwnerContext())
        {
            var unitId = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.UnitId).SingleAsync();
            var rows = Recognition.Rows(Set, result, result, result);
            db.RecognisedResults.Add(new RecognisedResult(assessmentId, unitId, version, Guid.NewGuid(), result.Total, result.Total, result.Total,
                result.Level, result.Level, Recognition.RowsJson(rows), $"{version}/QĐ-TEST", DateTimeOffset.UtcNow, null, "Hội đồng thử", null));
            await db.SaveChangesAsync();
        }
        await SetStatusAsync(assessmentId, AssessmentStatus.Approved, result.Total, result.Level);
    }

    public async Task AddEvidenceLinkAsync(int assessmentId, string criterion)
    {
        await using var db = Entry.Db.OwnerContext();
        var unitId = await db.Assessments.Where(a => a.Id == assessmentId).Select(a => a.UnitId).SingleAsync();
        db.EvidenceFiles.Add(EvidenceFile.ForLink(unitId, assessmentId, criterion, "https://example.gov.vn/van-ban/" + criterion, DocumentInfo.None,
            DateTimeOffset.UtcNow, null));
        await db.SaveChangesAsync();
    }

    public Task<DashboardModel> DashboardAsync(IUnitScope who, int roundId, int? parent = null) =>
        Entry.AsAsync<DashboardQueries, DashboardModel>(who, q => q.GetAsync(roundId, parent));

    public Task<UnitDashboard> UnitAsync(IUnitScope who, int assessmentId) =>
        Entry.AsAsync<DashboardQueries, UnitDashboard>(who, q => q.UnitAsync(assessmentId));

    /// <summary>The expected scores: the engine on the same values, the whole round as the cohort (units without figures empty).</summary>
    public CohortResult Expected(IEnumerable<int> roundAssessments, IReadOnlyDictionary<int, UnitValues> figures) =>
        ScoringEngine.Score(Set, [.. roundAssessments.Select(id => figures.TryGetValue(id, out var v)
            ? v with { Unit = Key(id) }
            : new UnitValues(Key(id), new Dictionary<string, object?>()))]);

    public static string Key(int assessmentId) => assessmentId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
