using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Units;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Scoring;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Application.Reporting;

/// <summary>
/// The data of `dti bench dashboard` (issue 7's speed target: the province dashboard of 100 communes): a demo province
/// with <c>districts × communes</c> communes, a commune round on a built-in set, plausible figures for nine communes in ten
/// (<see cref="DemoAssessments.Figures"/>, deterministic per code), every fourth submitted and every fifth approved with a
/// stored recognised result. Written as the tables' owner (no audit: benchmark data, marked as demo). A run adds a new
/// province with unique codes, so it can be repeated on the same database.
/// </summary>
public static class DashboardBenchData
{
    public sealed record Created(int RoundId, int ProvinceId, IReadOnlyList<int> DistrictIds, int Communes, int WithFigures, int Submitted, int Approved);

    public static async Task<Created> CreateAsync(IServiceProvider services, string setId, int districts, int communesPerDistrict, int year,
        CancellationToken ct = default)
    {
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Criteria.SyncBuiltInSets>().HandleAsync(ct);
        await using var db = Database.CreateOwnerContext(services);
        var versionId = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == setId).OrderByDescending(v => v.Version)
            .Select(v => (int?)v.Id).FirstOrDefaultAsync(ct) ?? throw new InvalidOperationException($"Không có bộ chỉ số '{setId}'.");
        var set = await services.GetRequiredService<RoundSetCache>().GetAsync(db, versionId, ct);

        var tag = DateTime.UtcNow.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture);
        var province = new AdministrativeUnit($"BENCH-{tag}", $"Thử hiệu năng {tag}", UnitKind.Tinh, UnitLevel.Province, null, isDemo: true);
        db.Units.Add(province);
        await db.SaveChangesAsync(ct);
        var districtUnits = Enumerable.Range(1, districts)
            .Select(d => new AdministrativeUnit($"BENCH-{tag}-{d:D2}", $"Số {d:D2}", UnitKind.Huyen, UnitLevel.District, province.Id, isDemo: true)).ToList();
        db.Units.AddRange(districtUnits);
        await db.SaveChangesAsync(ct);
        var communes = districtUnits.SelectMany((district, d) => Enumerable.Range(1, communesPerDistrict)
            .Select(c => new AdministrativeUnit($"BENCH-{tag}-{d + 1:D2}-{c:D3}", $"Số {d + 1:D2}.{c:D3}", UnitKind.Xa, UnitLevel.Commune, district.Id, isDemo: true)))
            .ToList();
        db.Units.AddRange(communes);
        await db.SaveChangesAsync(ct);
        services.GetRequiredService<UnitHierarchy>().Invalidate();

        var now = DateTimeOffset.UtcNow;
        var round = new AssessmentRound(year, $"Thử hiệu năng tổng quan {tag}", versionId, province.Id, UnitLevel.Commune,
            new DateOnly(year, 12, 11), new DateOnly(year, 12, 15), new DateOnly(year, 12, 25), hasDistrictTier: true, now, "bench");
        db.AssessmentRounds.Add(round);
        var assessments = communes.Select(c => (Unit: c, Assessment: RoundAdmin.AddAssessment(db, round, c.Id, set))).ToList();
        await db.SaveChangesAsync(ct);

        var cohort = new List<UnitValues>();
        int withFigures = 0, submitted = 0;
        var approved = new List<(Assessment Assessment, string Key)>();
        for (var i = 0; i < assessments.Count; i++)
        {
            var (unit, assessment) = assessments[i];
            if (i % 10 == 9) continue; // not started
            withFigures++;
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            var general = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (address, value) in DemoAssessments.Figures(set, unit.Code, "Xã " + unit.Name, partial: i % 10 == 8))
            {
                var row = new AssessmentValue(assessment.Id, assessment.UnitId, address);
                row.Set(ValueText.ToJson(value), now, null, "bench");
                db.AssessmentValues.Add(row);
                if (address.StartsWith(AssessmentValue.GeneralPrefix, StringComparison.Ordinal)) general[address[AssessmentValue.GeneralPrefix.Length..]] = value;
                else values[address] = value;
            }
            var key = ReviewScoring.Key(assessment.Id);
            cohort.Add(new UnitValues(key, values, general));
            if (i % 10 == 8) continue; // partly filled: in progress
            if (i % 5 == 0) approved.Add((assessment, key));
            else if (i % 4 == 0)
            {
                assessment.Submit(now, Guid.NewGuid(), roundOpen: true, "bench");
                submitted++;
            }
        }
        await db.SaveChangesAsync(ct);

        // Approved ones: the recognised result as approval stores it (no corrections: the three stages are the self-assessed one).
        var scored = ScoringEngine.Score(set.Set, cohort).Units.ToDictionary(u => u.Unit, StringComparer.Ordinal);
        foreach (var (assessment, key) in approved)
        {
            var result = scored[key];
            var rows = Recognition.Rows(set.Set, result, result, result);
            db.RecognisedResults.Add(new RecognisedResult(assessment.Id, assessment.UnitId, 1, Guid.NewGuid(), result.Total, result.Total, result.Total,
                result.Level, result.Level, Recognition.RowsJson(rows), $"{approved.IndexOf((assessment, key)) + 1}/{year}/QĐ-BENCH", now, null, "bench", null));
            var status = nameof(AssessmentStatus.Approved);
            await db.Database.ExecuteSqlAsync(
                $"update assessments set status = {status}, review_cycle = 1, approved_at = {now}, recognised_total = {result.Total}, recognised_level = {result.Level} where id = {assessment.Id}", ct);
        }
        await db.SaveChangesAsync(ct);
        return new Created(round.Id, province.Id, [.. districtUnits.Select(d => d.Id)], communes.Count, withFigures, submitted, approved.Count);
    }
}
