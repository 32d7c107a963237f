using System.CommandLine;
using System.Globalization;
using System.Text;
using DtiPortal.Application.Assessments;
using DtiPortal.Application.Data;
using DtiPortal.Application.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Cli;

/// <summary>
/// `dti scores export --round &lt;id&gt; | --all [--out file.csv]` (issue 8): every assessment's scores as a stable, sorted
/// CSV, so that an operator compares two databases (before a backup and after its restore, before and after an upgrade)
/// with `cmp` or `diff`. Two rows per assessment at most: <c>self</c>, the unit's own figures scored now by the
/// application's engine with the whole round as the cohort (<see cref="ReviewScoring.Score"/>, as the dashboards do), and
/// <c>recognised</c>, the stored result of the latest approval (<c>recognised_results</c>) where one exists. Main indices
/// are the set's top-level nodes as <c>code=points</c>, separated by <c>;</c>. Numbers use a dot and no trailing zeros.
/// </summary>
public static class ScoreExportCommands
{
    public const string Header = "round_id,year,set,unit_code,unit_name,status,stage,total,level,main_indices";

    public static Command Scores()
    {
        var roundOption = new Option<int?>("--round") { Description = "Mã (id) đợt đánh giá" };
        var allOption = new Option<bool>("--all") { Description = "Mọi đợt đánh giá" };
        var outOption = new Option<FileInfo?>("--out") { Description = "Ghi ra tệp CSV (mặc định: in ra màn hình)" };
        var export = new Command("export",
            "Xuất điểm của mọi bản đánh giá (tự đánh giá và kết quả công nhận) thành CSV sắp xếp ổn định, để so sánh hai cơ sở dữ liệu (ví dụ trước sao lưu và sau khôi phục)");
        export.Options.Add(roundOption);
        export.Options.Add(allOption);
        export.Options.Add(outOption);
        export.SetAction((parseResult, ct) =>
        {
            var round = parseResult.GetValue(roundOption);
            if (round is null == !parseResult.GetValue(allOption))
            {
                Console.Error.WriteLine("Lỗi: chọn một trong hai: --round <id> hoặc --all.");
                return Task.FromResult(2);
            }
            return AppHost.RunAsync(services => WriteAsync(services, round, parseResult.GetValue(outOption), ct));
        });
        var scores = new Command("scores", "Điểm của các bản đánh giá trong cơ sở dữ liệu");
        scores.Subcommands.Add(export);
        return scores;
    }

    private static async Task<int> WriteAsync(IServiceProvider services, int? round, FileInfo? file, CancellationToken ct)
    {
        var csv = await ExportAsync(services, round, ct);
        if (file is not null)
        {
            await File.WriteAllTextAsync(file.FullName, csv, new UTF8Encoding(false), ct);
            Console.Error.WriteLine($"Đã ghi {csv.Count(c => c == '\n') - 1} dòng vào {file.FullName}");
        }
        else
        {
            using var stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(Encoding.UTF8.GetBytes(csv), ct);
        }
        return 0;
    }

    public static async Task<string> ExportAsync(IServiceProvider services, int? roundId, CancellationToken ct)
    {
        await using var db = Database.CreateOwnerContext(services);
        var rounds = await db.AssessmentRounds.AsNoTracking().Where(r => roundId == null || r.Id == roundId)
            .OrderBy(r => r.Id).Select(r => new { r.Id, r.Year, r.CriteriaSetVersionId }).ToListAsync(ct);
        if (roundId is not null && rounds.Count == 0) throw new InvalidOperationException($"Không có đợt đánh giá mã {roundId}.");
        var sets = services.GetRequiredService<RoundSetCache>();
        using var scope = services.CreateScope();
        var scoring = scope.ServiceProvider.GetRequiredService<ReviewScoring>();

        var rows = new List<string>();
        foreach (var round in rounds)
        {
            var set = await sets.GetAsync(db, round.CriteriaSetVersionId, ct);
            var setName = $"{set.Set.Id}@{set.Set.Version}";
            var assessments = await (from a in db.Assessments.AsNoTracking()
                                     join u in db.Units.AsNoTracking() on a.UnitId equals u.Id
                                     where a.RoundId == round.Id
                                     select new { a.Id, a.Status, a.RecognisedTotal, a.RecognisedLevel, u.Code, u.Name }).ToListAsync(ct);
            if (assessments.Count == 0) continue;
            var ids = assessments.Select(a => a.Id).Order().ToList();
            // The whole round is the cohort, as on the dashboards (peer-relative criteria compare every unit of the round).
            var cohort = await scoring.LoadAsync(round.Id, ids, set, ct);
            var live = ReviewScoring.Score(set, cohort, ReviewScoring.Stage.Self, hasDistrictTier: false);
            var stored = (await db.RecognisedResults.AsNoTracking().Where(r => ids.Contains(r.AssessmentId))
                    .Select(r => new { r.AssessmentId, r.Version, r.Total, r.Level, r.ResultJson }).ToListAsync(ct))
                .GroupBy(r => r.AssessmentId).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Version)!);

            foreach (var a in assessments.OrderBy(a => a.Code, StringComparer.Ordinal).ThenBy(a => a.Id))
            {
                string Row(string stage, decimal total, int? level, IEnumerable<(string Code, decimal Points)> indices) => string.Join(',',
                    N(round.Id), N(round.Year), Csv(setName), Csv(a.Code), Csv(a.Name), a.Status.ToString(), stage, D(total),
                    level is { } l ? N(l) : "", Csv(string.Join(';', indices.Select(i => $"{i.Code}={D(i.Points)}"))));

                var self = live.Unit(ReviewScoring.Key(a.Id));
                rows.Add(Row("self", self.Total, self.Level, set.Set.Tree.Select(n => (n.Code, self.Node(n.Code).Points))));
                if (stored.TryGetValue(a.Id, out var result))
                {
                    var top = Recognition.ReadRows(result.ResultJson).Where(r => r.Depth == 0).ToDictionary(r => r.Code, r => r.AchievedPoints, StringComparer.Ordinal);
                    rows.Add(Row("recognised", a.RecognisedTotal ?? result.Total, a.RecognisedLevel ?? result.Level,
                        set.Set.Tree.Select(n => (n.Code, top.GetValueOrDefault(n.Code)))));
                }
            }
        }
        var text = new StringBuilder(Header).Append('\n');
        foreach (var row in rows) text.Append(row).Append('\n');
        return text.ToString();
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A decimal without trailing zeros (12.5000 and 12.5 are the same score), dot as the separator.</summary>
    private static string D(decimal d) => d.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>Unit and set names come from imports: neutralised like every CSV the application writes (issue 16 §4); quoted only
    /// when needed, so the file of a restored database compares byte for byte with the original's.</summary>
    private static string Csv(string s)
    {
        var text = Application.Spreadsheets.TableFile.Neutralise(s) ?? "";
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? Application.Spreadsheets.TableFile.CsvField(s) : text;
    }
}
