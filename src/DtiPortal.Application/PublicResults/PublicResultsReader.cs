using System.Text.Json;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Data;
using DtiPortal.Application.Reviews;
using DtiPortal.Application.Tenancy;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DtiPortal.Application.PublicResults;

/// <summary>
/// Reads published results for the public (uncached; <see cref="PublicResultsQueries"/> caches). A visitor has no scope
/// (ADR-006: it sees no unit-owned row), so this reads as the system — and therefore restricts EVERY query itself to
/// assessments whose status is Published in rounds that have been published (<c>published_at is not null</c>). That
/// restriction is the security boundary of the public pages (tested in PublicResultsTests).
/// <para>
/// What is shown is the stored recognised result (never recomputed): the latest version approved at or before the
/// assessment was published. A version written after publication (a reopened criterion re-approved) is not public until
/// it is published again.
/// </para>
/// </summary>
public sealed class PublicResultsReader(IServiceScopeFactory scopes, RoundSetCache sets)
{
    private const string Published = nameof(AssessmentStatus.Published);

    /// <summary>
    /// The ranking query: one row per published unit with only what a ranking shows. The main indices' values are projected
    /// in PostgreSQL from the stored result (a jsonpath over the depth-0 rows, a few numbers back), so no result JSON is sent
    /// to or parsed by the application. Reading them costs a decompression of each stored result (~12 KB of JSON), which is
    /// most of the time of a query over thousands of units: the national ranking leaves them out (<see cref="TotalsOnly"/>)
    /// and reads them only for the rows a page shows (<see cref="LoadIndicesAsync"/>).
    /// </summary>
    public const string RankingSql = """
        select a.id, a.round_id, a.unit_id, u.name, u.kind, u.parent_id, p.name, p.kind, ar.province_unit_id, pv.name, pv.kind,
               r.total, r.level, jsonb_path_query_array(r.result, @path::jsonpath)::text
        from assessments a
        join assessment_rounds ar on ar.id = a.round_id
        join units u on u.id = a.unit_id
        left join units p on p.id = u.parent_id
        join units pv on pv.id = ar.province_unit_id
        cross join lateral (
            select rr.total, rr.level, rr.result from recognised_results rr
            where rr.assessment_id = a.id and rr.approved_at <= coalesce(a.published_at, ar.published_at)
            order by rr.version desc limit 1) r
        where a.status = @published and ar.published_at is not null
        """;

    /// <summary>The ranking query without the main indices (totals and levels only: no stored result is decompressed).</summary>
    public static string TotalsOnly(string sql) =>
        sql.Replace("jsonb_path_query_array(r.result, @path::jsonpath)::text", "null::text", StringComparison.Ordinal);

    public async Task<PublicLanding> LoadLandingAsync(CancellationToken ct = default)
    {
        await using var lease = SystemContext();
        var rounds = await PublishedRoundsAsync(lease.Db, null, ct);
        var national = rounds.GroupBy(r => (r.Year, r.CriteriaSetVersionId))
            .Where(g => g.Count() > 1)
            .Select(g => new NationalRankingKey(g.Key.Year, g.Key.CriteriaSetVersionId, g.First().SetName, g.First().LevelCode, g.First().LevelName,
                g.Count(), g.Sum(r => r.UnitCount)))
            .OrderByDescending(k => k.Year).ThenBy(k => k.LevelCode).ThenBy(k => k.SetName).ToList();
        return new PublicLanding(rounds, national);
    }

    /// <summary>The ranking of one round; null when the round does not exist or has not been published.</summary>
    public async Task<RoundResults?> LoadRoundAsync(int roundId, CancellationToken ct = default)
    {
        await using var lease = SystemContext();
        var round = (await PublishedRoundsAsync(lease.Db, roundId, ct)).SingleOrDefault();
        if (round is null) return null;
        var scale = PublicRanking.ScaleOf((await sets.GetAsync(lease.Db, round.CriteriaSetVersionId, ct)).Set);
        var inputs = await RankingInputsAsync(lease.Db, scale, "ar.id = @round", [new NpgsqlParameter<int>("round", roundId)], ct);
        return new RoundResults(round, PublicRanking.Build(scale, inputs, filterByProvince: false));
    }

    /// <summary>
    /// The national ranking of a year on one criteria set version: every published unit of every province's published round
    /// on that version, in one query of the columns a ranking needs (names, totals, levels; no stored result is read), ranked
    /// in memory. Main-index values come per page from <see cref="LoadIndicesAsync"/>. Null when nothing of it is published.
    /// </summary>
    public async Task<NationalResults?> LoadNationalAsync(int year, int versionId, CancellationToken ct = default)
    {
        await using var lease = SystemContext();
        var version = await lease.Db.CriteriaSetVersions.AsNoTracking().Where(v => v.Id == versionId)
            .Select(v => new { v.Name, v.Level }).SingleOrDefaultAsync(ct);
        if (version is null) return null;
        var scale = PublicRanking.ScaleOf((await sets.GetAsync(lease.Db, versionId, ct)).Set);
        var inputs = await RankingInputsAsync(lease.Db, scale, "ar.year = @year and ar.criteria_set_version_id = @version",
            [new NpgsqlParameter<int>("year", year), new NpgsqlParameter<int>("version", versionId)], ct, withIndices: false);
        if (inputs.Count == 0) return null;
        var key = new NationalRankingKey(year, versionId, version.Name, version.Level, CriteriaQueries.LevelName(version.Level),
            inputs.Select(i => i.RoundId).Distinct().Count(), inputs.Count);
        return new NationalResults(key, PublicRanking.Build(scale, inputs, filterByProvince: true));
    }

    /// <summary>
    /// The main-index values of the given assessments (only those Published in published rounds; others are left out), as the
    /// ranking query projects them. For the rows one page of the national ranking shows.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, IReadOnlyList<decimal?>>> LoadIndicesAsync(RankingScale scale, IReadOnlyCollection<int> assessmentIds,
        CancellationToken ct = default)
    {
        if (assessmentIds.Count == 0) return new Dictionary<int, IReadOnlyList<decimal?>>();
        await using var lease = SystemContext();
        var inputs = await RankingInputsAsync(lease.Db, scale, "a.id = any(@ids)", [new NpgsqlParameter<int[]>("ids", [.. assessmentIds])], ct);
        return inputs.ToDictionary(i => i.AssessmentId, i => i.Indices);
    }

    /// <summary>
    /// One unit's published result in a published round (<paramref name="round"/> from <see cref="LoadRoundAsync"/>); null when
    /// the assessment is not Published, belongs to another round, or has no stored result.
    /// </summary>
    public async Task<PublishedUnitResult?> LoadUnitAsync(RoundResults round, int assessmentId, CancellationToken ct = default)
    {
        await using var lease = SystemContext();
        var db = lease.Db;
        var a = await (from x in db.Assessments.AsNoTracking()
                       where x.Id == assessmentId && x.RoundId == round.Round.Id && x.Status == AssessmentStatus.Published && x.Round!.PublishedAt != null
                       join u in db.Units on x.UnitId equals u.Id
                       join p in db.Units on u.ParentId equals p.Id into parents
                       from p in parents.DefaultIfEmpty()
                       select new
                       {
                           x.Id, x.UnitId, u.Name, u.Kind, ParentName = p == null ? null : p.Name, ParentKind = p == null ? (UnitKind?)null : p.Kind,
                           x.PublishedAt, RoundPublishedAt = x.Round!.PublishedAt,
                       }).SingleOrDefaultAsync(ct);
        if (a is null) return null;
        var publishedAt = (a.PublishedAt ?? a.RoundPublishedAt)!.Value;
        var result = await db.RecognisedResults.AsNoTracking()
            .Where(r => r.AssessmentId == a.Id && r.ApprovedAt <= publishedAt)
            .OrderByDescending(r => r.Version)
            .Select(r => new { r.SelfTotal, r.AppraisedTotal, r.Total, r.SelfLevel, r.Level, r.ResultJson, r.DocumentNumber, r.ApprovedAt })
            .FirstOrDefaultAsync(ct);
        if (result is null) return null;
        var ranked = round.Ranking.Find(a.Id);
        return new PublishedUnitResult(round.Round, round.Ranking.Scale, a.Id, a.UnitId, Display(a.Kind, a.Name),
            a.ParentKind is { } pk ? Display(pk, a.ParentName!) : null, ranked?.Rank, round.Ranking.Rows.Count,
            result.SelfTotal, result.AppraisedTotal, result.Total, result.SelfLevel, result.Level, result.DocumentNumber, result.ApprovedAt, publishedAt,
            Recognition.ReadRows(result.ResultJson));
    }

    /// <summary>Published rounds (all, or one) with how many published units each has; rounds with none are left out.</summary>
    private static async Task<List<PublishedRound>> PublishedRoundsAsync(DtiDbContext db, int? roundId, CancellationToken ct)
    {
        var rounds = db.AssessmentRounds.AsNoTracking().Where(r => r.PublishedAt != null);
        if (roundId is { } id) rounds = rounds.Where(r => r.Id == id);
        var rows = await (from r in rounds
                          join v in db.CriteriaSetVersions on r.CriteriaSetVersionId equals v.Id
                          join p in db.Units on r.ProvinceUnitId equals p.Id
                          select new
                          {
                              r.Id, r.Year, r.Name, r.ProvinceUnitId, ProvinceName = p.Name, ProvinceKind = p.Kind, r.LevelCode, r.CriteriaSetVersionId,
                              SetName = v.Name, v.DecisionNumber, r.PublishedAt,
                              Count = db.Assessments.Count(a => a.RoundId == r.Id && a.Status == AssessmentStatus.Published),
                          }).ToListAsync(ct);
        return rows.Where(r => r.Count > 0)
            .Select(r => new PublishedRound(r.Id, r.Year, r.Name, r.ProvinceUnitId, Display(r.ProvinceKind, r.ProvinceName), r.LevelCode,
                CriteriaQueries.LevelName(r.LevelCode), r.CriteriaSetVersionId, r.SetName, r.DecisionNumber, r.PublishedAt!.Value, r.Count))
            .OrderByDescending(r => r.Year).ThenBy(r => r.ProvinceName, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static async Task<List<RankingInput>> RankingInputsAsync(DtiDbContext db, RankingScale scale, string where,
        IReadOnlyList<NpgsqlParameter> parameters, CancellationToken ct, bool withIndices = true)
    {
        await db.Database.OpenConnectionAsync(ct); // through the tenancy interceptor: role dti_app, unrestricted system scope
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var cmd = new NpgsqlCommand((withIndices ? RankingSql : TotalsOnly(RankingSql)) + " and " + where, conn);
        if (withIndices) cmd.Parameters.Add(new NpgsqlParameter<string>("path", IndexPath(scale)));
        cmd.Parameters.Add(new NpgsqlParameter<string>("published", Published));
        foreach (var p in parameters) cmd.Parameters.Add(p);
        var result = new List<RankingInput>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var parentName = reader.IsDBNull(6) ? null : Display(reader.GetString(7), reader.GetString(6));
            result.Add(new RankingInput(
                reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), Display(reader.GetString(4), reader.GetString(3)),
                reader.IsDBNull(5) ? null : reader.GetInt32(5), parentName, reader.GetInt32(8), Display(reader.GetString(10), reader.GetString(9)),
                reader.GetDecimal(11), reader.IsDBNull(12) ? null : reader.GetInt32(12),
                withIndices ? Indices(reader.IsDBNull(13) ? null : reader.GetString(13), scale.Indices.Count) : []));
        }
        return result;
    }

    /// <summary>The jsonpath of the main indices' values in a stored result: achieved points, or the level met for a levels-only set.</summary>
    internal static string IndexPath(RankingScale scale) =>
        "$[*] ? (@.depth == 0)." + (scale.LevelsOnly ? "achievedLevelMet" : "achievedPoints");

    private static IReadOnlyList<decimal?> Indices(string? json, int count)
    {
        var values = json is null ? [] : JsonSerializer.Deserialize<decimal?[]>(json) ?? [];
        if (values.Length == count) return values;
        var padded = new decimal?[count]; // a result stored without rows (or of another shape): nothing to show per index
        Array.Copy(values, padded, Math.Min(values.Length, count));
        return padded;
    }

    private static string Display(string kind, string name) => Display(Enum.Parse<UnitKind>(kind), name);

    private static string Display(UnitKind kind, string name) => kind.DisplayName() + " " + name;

    /// <summary>A context acting as the system (ADR-006): the visitor's own scope sees nothing.</summary>
    private SystemLease SystemContext()
    {
        var scope = scopes.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<DbContextOptions<DtiDbContext>>();
        return new SystemLease(scope, new DtiDbContext(options, FixedUnitScope.System));
    }

    private sealed class SystemLease(AsyncServiceScope scope, DtiDbContext db) : IAsyncDisposable
    {
        public DtiDbContext Db { get; } = db;

        public async ValueTask DisposeAsync()
        {
            await Db.DisposeAsync();
            await scope.DisposeAsync();
        }
    }
}
