using System.CommandLine;
using System.Globalization;
using System.Text;
using DtiPortal.Application.Data;
using DtiPortal.Application.PublicResults;
using DtiPortal.Application.Reviews;
using DtiPortal.Domain.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DtiPortal.Cli;

/// <summary>
/// Issue 7: `dti demo generate` (national-scale synthetic data, <see cref="DemoGenerator"/>) and `dti bench ranking` (the
/// national ranking query over every published unit of a year, p95 over N runs). scripts/bench-public.sh runs both.
/// </summary>
internal static class PublicResultsCommands
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    public static Command Generate()
    {
        var unitsOption = new Option<int>("--units") { Description = "Số đơn vị cấp xã cần sinh", Required = true };
        var provincesOption = new Option<int>("--province-count") { Description = "Số tỉnh (mỗi tỉnh một đợt đánh giá)", DefaultValueFactory = _ => 63 };
        var yearOption = new Option<int>("--year") { Description = "Năm đánh giá", DefaultValueFactory = _ => 2024 };
        var setOption = new Option<string>("--set") { Description = "Bộ chỉ số dựng sẵn cấp xã (xem `dti sets`)", DefaultValueFactory = _ => DemoGenerator.DefaultSet };
        var command = new Command("generate",
            "Sinh dữ liệu mẫu quy mô lớn (đơn vị mã GEN-…, đợt đánh giá, số liệu, kết quả đã công bố) để thử trang kết quả công bố và đo hiệu năng");
        command.Options.Add(unitsOption);
        command.Options.Add(provincesOption);
        command.Options.Add(yearOption);
        command.Options.Add(setOption);
        command.SetAction((parseResult, ct) => AppHost.RunAsync(async services =>
        {
            Console.OutputEncoding = Encoding.UTF8;
            var request = new DemoGenerateRequest(parseResult.GetValue(unitsOption), parseResult.GetValue(provincesOption), parseResult.GetValue(yearOption),
                parseResult.GetValue(setOption)!);
            Console.WriteLine($"Đang sinh {N(request.Communes)} đơn vị cấp xã trong {N(request.Provinces)} tỉnh, năm {request.Year}, bộ chỉ số {request.SetId}…");
            var report = await ActivatorUtilities.CreateInstance<DemoGenerator>(services).HandleAsync(request, ct);
            Console.WriteLine($"Đã sinh dữ liệu mẫu trong {DemoGenerator.Format(report.Elapsed)}:");
            Console.WriteLine($"  Đơn vị: {N(report.Provinces)} tỉnh, {N(report.Districts)} huyện, {N(report.Communes)} xã (mã {DemoGenerator.CodePrefix}…, đánh dấu là dữ liệu mẫu)");
            Console.WriteLine($"  Đợt đánh giá: {N(report.Rounds)} (năm {report.Year}, bộ chỉ số {report.SetId}), {N(report.PublishedRounds)} đợt đã công bố kết quả");
            Console.WriteLine("  Trạng thái bản đánh giá: " + string.Join(" · ", report.ByStatus.OrderByDescending(s => s.Value)
                .Select(s => $"{s.Key.Name()} {N(s.Value)}")));
            Console.WriteLine($"  Số liệu: {N(report.Values)} giá trị, {N(report.Assignments)} phân công tiêu chí, {N(report.Results)} kết quả công nhận");
            foreach (var (phase, elapsed) in report.Phases) Console.WriteLine($"    {phase}: {DemoGenerator.Format(elapsed)}");
            return 0;
        }));
        return command;
    }

    public static Command BenchRanking()
    {
        var yearOption = new Option<int>("--year") { Description = "Năm đánh giá", DefaultValueFactory = _ => 2024 };
        var setOption = new Option<string>("--set") { Description = "Bộ chỉ số của các đợt", DefaultValueFactory = _ => DemoGenerator.DefaultSet };
        var runsOption = new Option<int>("--runs") { Description = "Số lần đo", DefaultValueFactory = _ => 100 };
        var compareOption = new Option<bool>("--compare") { Description = "Đo thêm hai cách đọc khác (để so sánh)" };
        var command = new Command("ranking", "Đo thời gian truy vấn xếp hạng toàn quốc (mọi đơn vị đã công bố của một năm, một bộ chỉ số)");
        command.Options.Add(yearOption);
        command.Options.Add(setOption);
        command.Options.Add(runsOption);
        command.Options.Add(compareOption);
        command.SetAction((parseResult, ct) => AppHost.RunAsync(async services =>
        {
            Console.OutputEncoding = Encoding.UTF8;
            var year = parseResult.GetValue(yearOption);
            var runs = Math.Max(1, parseResult.GetValue(runsOption));
            int versionId;
            await using (var db = Database.CreateOwnerContext(services))
                versionId = await db.CriteriaSetVersions.Where(v => v.SetId == parseResult.GetValue(setOption)).OrderByDescending(v => v.Version)
                    .Select(v => (int?)v.Id).FirstOrDefaultAsync(ct) ?? throw new InvalidOperationException($"Không có bộ chỉ số '{parseResult.GetValue(setOption)}'.");
            var reader = services.GetRequiredService<PublicResultsReader>();
            var first = await reader.LoadNationalAsync(year, versionId, ct)
                ?? throw new InvalidOperationException($"Chưa có kết quả nào được công bố cho năm {year} trên bộ chỉ số này (chạy `dti demo generate` trước).");
            Console.WriteLine($"Xếp hạng toàn quốc năm {year}: {N(first.Key.UnitCount)} đơn vị đã công bố trong {N(first.Key.RoundCount)} đợt; " +
                              $"{first.Ranking.Scale.Indices.Count} chỉ số chính.");
            var firstPage = first.Ranking.Rows.Take(100).Select(r => r.AssessmentId).ToList();
            var times = await BenchTiming.TimeAsync(5, runs, async () =>
            {
                var national = await reader.LoadNationalAsync(year, versionId, ct);
                await reader.LoadIndicesAsync(national!.Ranking.Scale, [.. national.Ranking.Rows.Take(100).Select(r => r.AssessmentId)], ct);
            });
            BenchTiming.Report($"Xếp hạng toàn quốc, không dùng bộ nhớ đệm: truy vấn {N(first.Key.UnitCount)} đơn vị + xếp hạng + chỉ số chính của trang đầu (100 đơn vị)", times, 500);
            BenchTiming.Report("  trong đó: truy vấn và xếp hạng (tổng điểm, mức)", await BenchTiming.TimeAsync(3, runs, () => reader.LoadNationalAsync(year, versionId, ct)), 500);
            BenchTiming.Report("  trong đó: chỉ số chính của 100 đơn vị (jsonpath trong PostgreSQL)",
                await BenchTiming.TimeAsync(3, runs, () => reader.LoadIndicesAsync(first.Ranking.Scale, firstPage, ct)), 500);
            if (parseResult.GetValue(compareOption))
            {
                // The alternatives weighed (docs/benchmarks.md): the main indices of every unit projected in the one query, and
                // every stored result sent to the application and parsed there.
                var cs = services.GetRequiredService<DatabaseConnection>().ConnectionString;
                var where = " and ar.year = @year and ar.criteria_set_version_id = @version";
                var wholeJson = PublicResultsReader.RankingSql.Replace("jsonb_path_query_array(r.result, @path::jsonpath)::text", "r.result::text", StringComparison.Ordinal);
                BenchTiming.Report("  so sánh: chỉ số chính của mọi đơn vị trong cùng truy vấn (jsonpath)",
                    await BenchTiming.TimeAsync(2, Math.Min(runs, 30), () => RawAsync(cs, PublicResultsReader.RankingSql + where, year, versionId, parse: false, ct)), 500);
                BenchTiming.Report("  so sánh: cả chuỗi JSON kết quả về ứng dụng rồi đọc (ReadRows)",
                    await BenchTiming.TimeAsync(1, Math.Min(runs, 10), () => RawAsync(cs, wholeJson + where, year, versionId, parse: true, ct)), 500);
            }
            return 0;
        }));
        return command;
    }

    private static async Task RawAsync(string cs, string sql, int year, int versionId, bool parse, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct);
        await using (var scope = new NpgsqlCommand("select set_config('dti.scope_all', 'true', false)", conn)) await scope.ExecuteNonQueryAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter<string>("path", "$[*] ? (@.depth == 0).achievedPoints"));
        cmd.Parameters.Add(new NpgsqlParameter<string>("published", "Published"));
        cmd.Parameters.Add(new NpgsqlParameter<int>("year", year));
        cmd.Parameters.Add(new NpgsqlParameter<int>("version", versionId));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (parse && !reader.IsDBNull(13)) _ = Recognition.ReadRows(reader.GetString(13)).Where(r => r.Depth == 0).Select(r => r.AchievedPoints).ToList();
    }


    private static string N(long n) => n.ToString("N0", Vi);
}
