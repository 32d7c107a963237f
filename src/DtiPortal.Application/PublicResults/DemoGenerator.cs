using System.Diagnostics;
using System.Globalization;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Data;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain;
using DtiPortal.Domain.Assessments;
using DtiPortal.Domain.Reviews;
using DtiPortal.Domain.Scoring;
using DtiPortal.Domain.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace DtiPortal.Application.PublicResults;

/// <summary>What `dti demo generate` creates: N communes in P provinces, for one year, on a built-in commune set.</summary>
public sealed record DemoGenerateRequest(int Communes, int Provinces = 63, int Year = 2024, string SetId = DemoGenerator.DefaultSet);

/// <summary>What was created, and how long each phase took.</summary>
public sealed record DemoGenerateReport(
    int Provinces, int Districts, int Communes, int Rounds, int PublishedRounds, IReadOnlyDictionary<AssessmentStatus, int> ByStatus,
    long Values, long Assignments, int Results, string SetId, int Year, IReadOnlyList<(string Phase, TimeSpan Elapsed)> Phases)
{
    public TimeSpan Elapsed => Phases.Aggregate(TimeSpan.Zero, (t, p) => t + p.Elapsed);
}

/// <summary>
/// Synthetic data at national scale for the public results, rankings and their benchmarks (issue 7): P provinces
/// (<c>GEN-P01</c> …) with about 15 communes per district, every unit marked as demo (<see cref="AdministrativeUnit.IsDemo"/>, codes
/// prefixed <see cref="CodePrefix"/> so they never collide with real codes), one commune round per province on a built-in set,
/// plausible figures for every assessment (<see cref="DemoAssessments.Figures"/>, deterministic per code; drafts partly
/// filled) and a mix of statuses: about 1% each draft, submitted, under district review, under council appraisal and
/// approved after the publication, the rest published. Every province's round is published except the last one (its
/// approved results wait), so the public pages show both cases.
/// <para>
/// Recognised results are computed by the real engine over each round's whole cohort (as an approval does, with the cohort
/// frozen in one <see cref="ScoreSnapshot"/> per round) and stored as the approval stores them. Rows go in with PostgreSQL's
/// binary COPY as the tables' owner in one transaction (not through the use cases one by one, and not audited row by row:
/// it is demo data; one audit entry records the run). Refuses to run twice on one database.
/// </para>
/// </summary>
public sealed class DemoGenerator(IServiceProvider services, RoundSetCache sets, TimeProvider clock)
{
    public const string CodePrefix = "GEN-";
    public const string DefaultSet = "hung-yen-commune-2024";
    public const int CommunesPerDistrict = 15;
    private const string Actor = "Dữ liệu mẫu (dti demo generate)";

    private static readonly string[] Syllables =
    [
        "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Hưng", "Phước", "Đông", "Tây", "Nam", "Bắc", "Trung", "Thuận", "Lộc",
        "Mỹ", "Quang", "Thịnh", "Vĩnh", "Đức", "Hải", "Sơn", "Lạc", "Minh", "Khánh", "Hiệp", "Thành", "Lợi", "Yên", "Việt", "Hồng",
        "Xuân", "Thủy", "Lâm", "Cường", "Nghĩa", "Tiến", "Phong", "Đạo",
    ];

    private sealed record Commune(string Code, string Name, UnitKind Kind, int Province, string DistrictCode, bool Partial)
    {
        public required AssessmentStatus Status { get; set; }
        public int UnitId { get; set; }
        public int AssessmentId { get; set; }
        public List<(string Address, string Json)> Values { get; } = [];
        public UnitResult? Result { get; set; }
    }

    public async Task<DemoGenerateReport> HandleAsync(DemoGenerateRequest request, CancellationToken ct = default)
    {
        if (request.Communes < 1 || request.Communes > 200_000) throw new InvalidOperationException("Số đơn vị cấp xã phải từ 1 đến 200.000.");
        if (request.Provinces < 1 || request.Provinces > request.Communes)
            throw new InvalidOperationException("Số tỉnh phải từ 1 đến số đơn vị cấp xã.");
        if (request.Year is < 2020 or > 2100) throw new InvalidOperationException("Năm đánh giá phải từ 2020 đến 2100.");

        var phases = new List<(string, TimeSpan)>();
        var sw = Stopwatch.StartNew();
        void Phase(string name)
        {
            phases.Add((name, sw.Elapsed));
            sw.Restart();
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var sync = await scope.ServiceProvider.GetRequiredService<SyncBuiltInSets>().HandleAsync(ct);
            if (sync.Problems.Count > 0) throw new InvalidOperationException("Bộ chỉ số dựng sẵn chưa đăng ký được: " + sync.Problems[0].Message);
        }
        await using var db = Database.CreateOwnerContext(services);
        var existing = await db.Units.CountAsync(u => u.Code.StartsWith(CodePrefix), ct);
        if (existing > 0)
            throw new InvalidOperationException(
                $"Cơ sở dữ liệu này đã có dữ liệu sinh tự động ({existing:N0} đơn vị mã {CodePrefix}…); lệnh không chạy lần thứ hai. " +
                "Hãy dùng một cơ sở dữ liệu khác (ConnectionStrings__Dti) hoặc tạo lại cơ sở dữ liệu rồi chạy `dti migrate`.");
        var version = await db.CriteriaSetVersions.AsNoTracking().Where(v => v.SetId == request.SetId).OrderByDescending(v => v.Version)
            .Select(v => new { v.Id, v.Level }).FirstOrDefaultAsync(ct)
            ?? throw new InvalidOperationException($"Không có bộ chỉ số '{request.SetId}' (xem `dti sets`).");
        if (version.Level != UnitLevel.Commune)
            throw new InvalidOperationException($"Bộ chỉ số '{request.SetId}' không dùng cho cấp xã; hãy chọn một bộ chỉ số cấp xã.");
        var set = await sets.GetAsync(db, version.Id, ct);
        Phase("Chuẩn bị (bộ chỉ số)");

        // The tree and the statuses (deterministic: the same request gives the same data).
        var communes = Layout(request);
        var districts = communes.Select(c => (c.Province, c.DistrictCode)).Distinct().ToList();
        var provinces = request.Provinces;
        var unpublishedProvince = provinces > 1 ? provinces : 0; // the last province's round is approved but not published yet
        foreach (var c in communes)
        {
            if (c.Province == unpublishedProvince && c.Status == AssessmentStatus.Published) c.Status = AssessmentStatus.Approved;
            foreach (var (address, value) in DemoAssessments.Figures(set, c.Code, c.Kind.DisplayName() + " " + c.Name, c.Partial))
                if (ValueText.ToJson(value) is { } json) c.Values.Add((address, json));
        }
        Phase("Sinh số liệu");

        // Each round's cohort scored once by the engine, as at approval (no reviewer corrections: the three stages agree).
        foreach (var round in communes.GroupBy(c => c.Province))
        {
            var units = round.Select(c => StoredValues.ToUnitValues(c.Code,
                c.Values.Select(v => new StoredValues.Row(0, v.Address, v.Json, 1, default, null)), set)).ToList();
            var scored = ScoringEngine.Score(set.Set, units);
            foreach (var c in round) c.Result = scored.Unit(c.Code);
        }
        Phase("Chấm điểm (bộ máy chấm điểm, theo từng đợt)");

        await db.Database.OpenConnectionAsync(ct); // as the owner, dti.scope_all = true (row-level security is forced on the owner too)
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // Units: provinces, districts, communes (each level needs its parents' ids).
        var provinceIds = await InsertUnitsAsync(conn, Enumerable.Range(1, provinces).Select(p =>
            (ProvinceCode(p), $"Thử nghiệm {p:D2}", UnitKind.Tinh, (int?)null)), ct);
        var districtIds = await InsertUnitsAsync(conn, districts.Select(d =>
            (d.DistrictCode, DistrictName(d.DistrictCode), UnitKind.Huyen, (int?)provinceIds[ProvinceCode(d.Province)])), ct);
        var communeIds = await InsertUnitsAsync(conn, communes.Select(c => (c.Code, c.Name, c.Kind, (int?)districtIds[c.DistrictCode])), ct);
        foreach (var c in communes) c.UnitId = communeIds[c.Code];
        Phase("Ghi đơn vị hành chính");

        // Rounds: one per province, published except the last; closed (the year is over).
        var publishedAt = At(request.Year, 12, 24);
        var rounds = new Dictionary<int, AssessmentRound>();
        for (var p = 1; p <= provinces; p++)
        {
            var round = new AssessmentRound(request.Year, $"Đánh giá chuyển đổi số cấp xã năm {request.Year} (dữ liệu mẫu)", version.Id,
                provinceIds[ProvinceCode(p)], UnitLevel.Commune, new DateOnly(request.Year, 12, 11), new DateOnly(request.Year, 12, 15),
                new DateOnly(request.Year, 12, 25), hasDistrictTier: true, clock.GetUtcNow(), Actor);
            round.Close("Đã hết hạn nhập số liệu (dữ liệu mẫu).");
            if (p != unpublishedProvince) round.MarkPublished(publishedAt, Actor);
            db.AssessmentRounds.Add(round);
            rounds[p] = round;
        }
        await db.SaveChangesAsync(ct);

        // Assessments, then their ids.
        var submittedAt = At(request.Year, 12, 5);
        var approvedAt = At(request.Year, 12, 20);
        DateTimeOffset ApprovedAt(Commune c) => c.Status == AssessmentStatus.Approved && c.Province != unpublishedProvince ? publishedAt.AddDays(3) : approvedAt;
        using (var copy = await conn.BeginBinaryImportAsync(
            "copy assessments (unit_id, round_id, status, review_cycle, returned_criteria, submitted_at, submitted_by, submission_key, " +
            "approved_at, published_at, recognised_total, recognised_level) from stdin (format binary)", ct))
        {
            foreach (var c in communes)
            {
                var recognised = c.Status is AssessmentStatus.Approved or AssessmentStatus.Published;
                copy.StartRow();
                copy.Write(c.UnitId, NpgsqlDbType.Integer);
                copy.Write(rounds[c.Province].Id, NpgsqlDbType.Integer);
                copy.Write(c.Status.ToString(), NpgsqlDbType.Varchar);
                copy.Write(c.Status == AssessmentStatus.Draft ? 0 : 1, NpgsqlDbType.Integer);
                copy.Write(Array.Empty<string>(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                WriteOrNull(copy, c.Status == AssessmentStatus.Draft ? null : (DateTimeOffset?)submittedAt, NpgsqlDbType.TimestampTz);
                WriteOrNull(copy, c.Status == AssessmentStatus.Draft ? null : Actor, NpgsqlDbType.Varchar);
                WriteOrNull(copy, c.Status == AssessmentStatus.Draft ? null : (Guid?)Guid.NewGuid(), NpgsqlDbType.Uuid);
                WriteOrNull(copy, recognised ? (DateTimeOffset?)ApprovedAt(c) : null, NpgsqlDbType.TimestampTz);
                WriteOrNull(copy, c.Status == AssessmentStatus.Published ? (DateTimeOffset?)publishedAt : null, NpgsqlDbType.TimestampTz);
                WriteOrNull(copy, recognised ? (decimal?)c.Result!.Total : null, NpgsqlDbType.Numeric);
                WriteOrNull(copy, recognised ? c.Result!.Level : null, NpgsqlDbType.Integer);
            }
            await copy.CompleteAsync(ct);
        }
        var roundIds = rounds.Values.Select(r => r.Id).ToArray();
        var byUnit = communes.ToDictionary(c => c.UnitId);
        await using (var cmd = new NpgsqlCommand("select id, unit_id from assessments where round_id = any(@rounds)", conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter<int[]>("rounds", roundIds));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) byUnit[reader.GetInt32(1)].AssessmentId = reader.GetInt32(0);
        }
        Phase("Ghi đợt đánh giá và bản đánh giá");

        long values = 0, assignments = 0;
        using (var copy = await conn.BeginBinaryImportAsync(
            "copy assessment_values (assessment_id, unit_id, address, value, version, updated_at, updated_by_name) from stdin (format binary)", ct))
        {
            foreach (var c in communes)
                foreach (var (address, json) in c.Values)
                {
                    copy.StartRow();
                    copy.Write(c.AssessmentId, NpgsqlDbType.Integer);
                    copy.Write(c.UnitId, NpgsqlDbType.Integer);
                    copy.Write(address, NpgsqlDbType.Varchar);
                    copy.Write(json, NpgsqlDbType.Jsonb);
                    copy.Write(1, NpgsqlDbType.Integer);
                    copy.Write(submittedAt.AddDays(-20), NpgsqlDbType.TimestampTz);
                    copy.Write(Actor, NpgsqlDbType.Varchar);
                    values++;
                }
            await copy.CompleteAsync(ct);
        }
        using (var copy = await conn.BeginBinaryImportAsync(
            "copy criterion_assignments (assessment_id, unit_id, criterion_code, department) from stdin (format binary)", ct))
        {
            foreach (var c in communes)
                foreach (var criterion in set.Criteria)
                {
                    copy.StartRow();
                    copy.Write(c.AssessmentId, NpgsqlDbType.Integer);
                    copy.Write(c.UnitId, NpgsqlDbType.Integer);
                    copy.Write(criterion.Code, NpgsqlDbType.Varchar);
                    WriteOrNull(copy, criterion.Details.Lead, NpgsqlDbType.Varchar);
                    assignments++;
                }
            await copy.CompleteAsync(ct);
        }
        Phase("Ghi số liệu và phân công tiêu chí");

        // One frozen cohort per round (keyed by assessment id, as approvals key it), then the recognised results.
        var snapshots = new Dictionary<int, Guid>();
        using (var copy = await conn.BeginBinaryImportAsync("copy score_snapshots (id, round_id, taken_at, unit_count, cohort) from stdin (format binary)", ct))
        {
            foreach (var round in communes.GroupBy(c => c.Province))
            {
                if (!round.Any(c => c.Status is AssessmentStatus.Approved or AssessmentStatus.Published)) continue;
                var cohort = round.Select(c => StoredValues.ToUnitValues(ReviewScoring.Key(c.AssessmentId),
                    c.Values.Select(v => new StoredValues.Row(c.AssessmentId, v.Address, v.Json, 1, default, null)), set));
                var id = Guid.NewGuid();
                snapshots[round.Key] = id;
                copy.StartRow();
                copy.Write(id, NpgsqlDbType.Uuid);
                copy.Write(rounds[round.Key].Id, NpgsqlDbType.Integer);
                copy.Write(approvedAt, NpgsqlDbType.TimestampTz);
                copy.Write(round.Count(), NpgsqlDbType.Integer);
                copy.Write(Recognition.WriteCohort(cohort, set), NpgsqlDbType.Jsonb);
            }
            await copy.CompleteAsync(ct);
        }
        var results = 0;
        var numbers = new Dictionary<int, int>();
        using (var copy = await conn.BeginBinaryImportAsync(
            "copy recognised_results (unit_id, assessment_id, version, snapshot_id, self_total, appraised_total, total, self_level, level, result, " +
            "document_number, approved_at, approved_by_name) from stdin (format binary)", ct))
        {
            foreach (var c in communes.Where(c => c.Status is AssessmentStatus.Approved or AssessmentStatus.Published))
            {
                var r = c.Result!;
                var number = numbers[c.Province] = numbers.GetValueOrDefault(c.Province) + 1;
                copy.StartRow();
                copy.Write(c.UnitId, NpgsqlDbType.Integer);
                copy.Write(c.AssessmentId, NpgsqlDbType.Integer);
                copy.Write(1, NpgsqlDbType.Integer);
                copy.Write(snapshots[c.Province], NpgsqlDbType.Uuid);
                copy.Write(r.Total, NpgsqlDbType.Numeric);
                copy.Write(r.Total, NpgsqlDbType.Numeric);
                copy.Write(r.Total, NpgsqlDbType.Numeric);
                WriteOrNull(copy, r.Level, NpgsqlDbType.Integer);
                WriteOrNull(copy, r.Level, NpgsqlDbType.Integer);
                copy.Write(Recognition.RowsJson(Recognition.Rows(set.Set, r, r, r)), NpgsqlDbType.Jsonb);
                copy.Write(TransitionAssessment.DocumentNumber(number, request.Year), NpgsqlDbType.Varchar);
                copy.Write(ApprovedAt(c), NpgsqlDbType.TimestampTz);
                copy.Write("Hội đồng thẩm định (dữ liệu mẫu)", NpgsqlDbType.Varchar);
                results++;
            }
            await copy.CompleteAsync(ct);
        }
        foreach (var (province, last) in numbers)
            await db.Database.ExecuteSqlAsync($"update assessment_rounds set last_document_number = {last} where id = {rounds[province].Id}", ct);
        Phase("Ghi kết quả công nhận (bản chụp nhóm đơn vị)");

        // The history each status implies (the review page and the timeline read it).
        using (var copy = await conn.BeginBinaryImportAsync(
            "copy workflow_steps (assessment_id, unit_id, action, from_status, to_status, cycle, at, actor_name, values_snapshot) from stdin (format binary)", ct))
        {
            foreach (var c in communes)
            {
                foreach (var (action, from, to, at) in History(c.Status, submittedAt, ApprovedAt(c), publishedAt))
                {
                    copy.StartRow();
                    copy.Write(c.AssessmentId, NpgsqlDbType.Integer);
                    copy.Write(c.UnitId, NpgsqlDbType.Integer);
                    copy.Write(action.ToString(), NpgsqlDbType.Varchar);
                    copy.Write(from.ToString(), NpgsqlDbType.Varchar);
                    copy.Write(to.ToString(), NpgsqlDbType.Varchar);
                    copy.Write(1, NpgsqlDbType.Integer);
                    copy.Write(at, NpgsqlDbType.TimestampTz);
                    copy.Write(Actor, NpgsqlDbType.Varchar);
                    // The values as submitted, for submissions still under review (the reviewer's "what changed" reads them).
                    var underReview = c.Status is AssessmentStatus.Submitted or AssessmentStatus.UnderDistrictReview or AssessmentStatus.Forwarded
                        or AssessmentStatus.UnderCouncilAppraisal;
                    WriteOrNull(copy, action == WorkflowAction.Submit && underReview ? ReviewQueries.ValuesSnapshot(c.Values.Select(v => (v.Address, (string?)v.Json))) : null,
                        NpgsqlDbType.Jsonb);
                }
            }
            await copy.CompleteAsync(ct);
        }
        Phase("Ghi lịch sử xử lý");

        await Audit.AuditSql.InsertAsync(db, [new Audit.AuditRow(clock.GetUtcNow(), null, "system", "local", "DemoGenerated", nameof(AdministrativeUnit), null, null,
            null, null, $"dti demo generate: {provinces} tỉnh, {districts.Count} huyện, {communes.Count} xã (mã {CodePrefix}…), {provinces} đợt đánh giá năm {request.Year} " +
            $"trên bộ chỉ số {request.SetId}.", true)], async: true, ct);
        await tx.CommitAsync(ct);
        // Fresh statistics, so the first ranking query after the load plans well.
        await db.Database.ExecuteSqlRawAsync("analyze units; analyze assessments; analyze recognised_results; analyze assessment_values", ct);
        services.GetService<Units.UnitHierarchy>()?.Invalidate();
        Phase("Ghi nhật ký, xác nhận giao dịch và cập nhật thống kê");

        return new DemoGenerateReport(provinces, districts.Count, communes.Count, provinces, provinces - (unpublishedProvince > 0 ? 1 : 0),
            communes.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count()), values, assignments, results, request.SetId, request.Year, phases);
    }

    /// <summary>Communes spread evenly over the provinces, about <see cref="CommunesPerDistrict"/> per district; statuses by a hash of the code.</summary>
    private static List<Commune> Layout(DemoGenerateRequest request)
    {
        var list = new List<Commune>(request.Communes);
        for (var p = 1; p <= request.Provinces; p++)
        {
            var from = (int)((long)(p - 1) * request.Communes / request.Provinces);
            var to = (int)((long)p * request.Communes / request.Provinces);
            for (var i = 0; i < to - from; i++)
            {
                var district = i / CommunesPerDistrict + 1;
                var districtCode = $"{ProvinceCode(p)}-D{district:D2}";
                var code = $"{districtCode}-C{i % CommunesPerDistrict + 1:D2}";
                var hash = Hash(code);
                var status = (hash % 100) switch
                {
                    0 => AssessmentStatus.Draft,
                    1 => AssessmentStatus.Submitted,
                    2 => AssessmentStatus.UnderDistrictReview,
                    3 => AssessmentStatus.UnderCouncilAppraisal,
                    4 => AssessmentStatus.Approved, // approved after the round was published: waits for the next publication
                    _ => AssessmentStatus.Published,
                };
                var kind = (hash / 100 % 20) switch { 0 or 1 => UnitKind.Phuong, 2 => UnitKind.ThiTran, _ => UnitKind.Xa };
                list.Add(new Commune(code, PlaceName((long)hash + p * 7919L + district * 104_729L, i % CommunesPerDistrict), kind, p, districtCode,
                    Partial: status == AssessmentStatus.Draft) { Status = status });
            }
        }
        return list;
    }

    private static IEnumerable<(WorkflowAction, AssessmentStatus, AssessmentStatus, DateTimeOffset)> History(
        AssessmentStatus status, DateTimeOffset submitted, DateTimeOffset approved, DateTimeOffset published)
    {
        if (status == AssessmentStatus.Draft) yield break;
        yield return (WorkflowAction.Submit, AssessmentStatus.Draft, AssessmentStatus.Submitted, submitted);
        if (status == AssessmentStatus.Submitted) yield break;
        yield return (WorkflowAction.StartDistrictReview, AssessmentStatus.Submitted, AssessmentStatus.UnderDistrictReview, submitted.AddDays(2));
        if (status == AssessmentStatus.UnderDistrictReview) yield break;
        yield return (WorkflowAction.ForwardToCouncil, AssessmentStatus.UnderDistrictReview, AssessmentStatus.Forwarded, submitted.AddDays(6));
        yield return (WorkflowAction.StartCouncilAppraisal, AssessmentStatus.Forwarded, AssessmentStatus.UnderCouncilAppraisal, submitted.AddDays(8));
        if (status == AssessmentStatus.UnderCouncilAppraisal) yield break;
        yield return (WorkflowAction.Approve, AssessmentStatus.UnderCouncilAppraisal, AssessmentStatus.Approved, approved);
        if (status == AssessmentStatus.Published)
            yield return (WorkflowAction.Publish, AssessmentStatus.Approved, AssessmentStatus.Published, published);
    }

    private static async Task<Dictionary<string, int>> InsertUnitsAsync(NpgsqlConnection conn,
        IEnumerable<(string Code, string Name, UnitKind Kind, int? ParentId)> units, CancellationToken ct)
    {
        var codes = new List<string>();
        using (var copy = await conn.BeginBinaryImportAsync(
            "copy units (code, name, search_key, kind, level_code, parent_id, is_demo) from stdin (format binary)", ct))
        {
            foreach (var u in units)
            {
                copy.StartRow();
                copy.Write(u.Code, NpgsqlDbType.Varchar);
                copy.Write(u.Name, NpgsqlDbType.Varchar);
                copy.Write(VietnameseText.Fold(u.Name + " " + u.Code), NpgsqlDbType.Varchar); // as AdministrativeUnit computes it
                copy.Write(u.Kind.ToString(), NpgsqlDbType.Varchar);
                copy.Write(u.Kind.LevelCode(), NpgsqlDbType.Varchar);
                WriteOrNull(copy, u.ParentId, NpgsqlDbType.Integer);
                copy.Write(true, NpgsqlDbType.Boolean);
                codes.Add(u.Code);
            }
            await copy.CompleteAsync(ct);
        }
        var ids = new Dictionary<string, int>(codes.Count, StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("select code, id from units where code = any(@codes)", conn);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("codes", [.. codes]));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids[reader.GetString(0)] = reader.GetInt32(1);
        return ids;
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type) where T : struct
    {
        if (value is { } v) copy.Write(v, type);
        else copy.WriteNull();
    }

    private static void WriteOrNull(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type)
    {
        if (value is null) copy.WriteNull();
        else copy.Write(value, type);
    }

    private static string ProvinceCode(int p) => $"{CodePrefix}P{p:D2}";

    private static string DistrictName(string code) => PlaceName(Hash(code), 0);

    /// <summary>Two syllables of common Vietnamese place names; <paramref name="index"/> walks the pairs, so names within a district differ.</summary>
    private static string PlaceName(long seed, int index)
    {
        var n = Syllables.Length;
        long pairs = n * (n - 1);
        var pair = (int)(((seed + index * 37L) % pairs + pairs) % pairs);
        var first = pair / (n - 1);
        var second = pair % (n - 1);
        if (second >= first) second++;
        return Syllables[first] + " " + Syllables[second];
    }

    /// <summary>FNV-1a with a final mix: neighbouring codes ("…-D01", "…-D02") get unrelated names and statuses.</summary>
    private static int Hash(string code)
    {
        var h = 2166136261u;
        foreach (var c in code) h = unchecked((h ^ c) * 16777619u);
        h ^= h >> 15;
        h = unchecked(h * 2246822519u);
        h ^= h >> 13;
        return (int)(h & int.MaxValue);
    }

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 2, 0, 0, TimeSpan.Zero);

    public static string Format(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
