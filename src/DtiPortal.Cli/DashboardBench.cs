using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using DtiPortal.Application.Data;
using DtiPortal.Application.Identity;
using DtiPortal.Application.Reporting;
using DtiPortal.Application.Tenancy;
using DtiPortal.Application.Units;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Cli;

/// <summary>
/// `dti bench dashboard` (issue 7: "Province dashboard with 100 communes p95 &lt; 200 ms"): creates a demo province of
/// districts × communes with a commune round (figures, submissions, approvals: <see cref="DashboardBenchData"/>) in the
/// database of ConnectionStrings__Dti, then times <see cref="DashboardQueries"/> in-process as the province's administrator
/// (tenancy filter and RLS on, as in the web app): after a unit saved a value (that unit's values are read again and the round
/// is scored again), with nothing changed since the last load (<see cref="RoundScoreCache"/>), the first load after a start
/// (the whole round read and scored), and one district after a save. scripts/bench-dashboard.sh runs
/// it on a fresh database.
/// </summary>
internal static class DashboardBench
{
    public static Command Command()
    {
        var districtsOption = new Option<int>("--districts") { Description = "Số huyện của tỉnh thử", DefaultValueFactory = _ => 4 };
        var communesOption = new Option<int>("--communes") { Description = "Số xã mỗi huyện", DefaultValueFactory = _ => 25 };
        var runsOption = new Option<int>("--runs") { Description = "Số lần đo mỗi truy vấn", DefaultValueFactory = _ => 200 };
        var setOption = new Option<string>("--set") { Description = "Bộ chỉ số dựng sẵn của đợt", DefaultValueFactory = _ => "hung-yen-commune-2024" };
        var command = new Command("dashboard", "Đo thời gian lấy dữ liệu trang tổng quan cấp tỉnh (DashboardQueries) trên một tỉnh thử");
        command.Options.Add(districtsOption);
        command.Options.Add(communesOption);
        command.Options.Add(runsOption);
        command.Options.Add(setOption);
        command.SetAction(async (parseResult, ct) =>
        {
            Console.OutputEncoding = Encoding.UTF8;
            var districts = parseResult.GetValue(districtsOption);
            var communes = parseResult.GetValue(communesOption);
            var runs = parseResult.GetValue(runsOption);
            if (districts < 1 || communes < 1 || runs < 1)
            {
                Console.Error.WriteLine("--districts, --communes và --runs phải ≥ 1");
                return 1;
            }
            try
            {
                await using var services = Build();
                var cs = services.GetRequiredService<DatabaseConnection>().ConnectionString;
                await Database.EnsureReachableAsync(cs, ct);
                await Database.MigrateAsync(services, ct);

                var sw = Stopwatch.StartNew();
                var data = await DashboardBenchData.CreateAsync(services, parseResult.GetValue(setOption)!, districts, communes, DateTime.UtcNow.Year, ct);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Tỉnh thử: {districts} huyện × {communes} xã = {data.Communes} xã; {data.WithFigures} có số liệu, {data.Submitted} đã nộp, {data.Approved} đã phê duyệt (tạo trong {sw.Elapsed.TotalSeconds:0.0} s)"));

                var admin = new FixedUnitScope("bench-admin", "quantri.bench", false, services.GetRequiredService<UnitHierarchy>().Subtree(data.ProvinceId),
                    new HashSet<string> { Roles.ProvincialAdmin }, "local", data.ProvinceId);
                async Task Province(DashboardQueries q)
                {
                    var model = await q.GetAsync(data.RoundId, null, ct);
                    if (model.Progress.Total != data.Communes) throw new InvalidOperationException($"Tổng quan đếm {model.Progress.Total} xã, không phải {data.Communes}.");
                }
                // A unit saving a value between two loads: its values are read again and the round is scored again (RoundScoreCache).
                await using var owner = Database.CreateOwnerContext(services);
                async Task SomeoneSaves() => await owner.Database.ExecuteSqlAsync(
                    $"update assessment_values set version = version + 1 where id = (select min(v.id) from assessment_values v join assessments a on a.id = v.assessment_id where a.round_id = {data.RoundId})", ct);

                var cache = services.GetRequiredService<RoundScoreCache>();
                Task Forget() { cache.Clear(); return Task.CompletedTask; }
                async Task District(DashboardQueries q) => await q.GetAsync(data.RoundId, data.DistrictIds[0], ct);
                // The four cases interleaved, one of each per round of measurement, so that they see the same machine load;
                // warm-up rounds first (JIT tiering, connection pool, caches).
                var cases = new (string What, Func<DashboardQueries, Task> Call, Func<Task>? Before, List<double> Times)[]
                {
                    ($"Tổng quan cấp tỉnh ({data.Communes} xã, theo {districts} huyện, xếp hạng, so sánh năm trước), ngay sau khi một xã lưu số liệu", Province, SomeoneSaves, []),
                    ("Tổng quan cấp tỉnh, số liệu không đổi từ lần trước", Province, null, []),
                    ("Tổng quan cấp tỉnh, lần đầu sau khi khởi động (đọc và chấm lại cả đợt)", Province, Forget, []),
                    ($"Tổng quan một huyện ({communes} xã), ngay sau khi một xã lưu số liệu", District, SomeoneSaves, []),
                };
                for (var i = 0; i < 30 + runs; i++)
                    foreach (var c in cases)
                    {
                        var t = await TimeAsync(services, admin, 0, 1, c.Call, c.Before);
                        if (i >= 30) c.Times.Add(t[0]);
                    }
                foreach (var c in cases) BenchTiming.Report(c.What, c.Times, 200);
                return 0;
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine("Lỗi: " + ex.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>The CLI's services (AppHost) with a settable user scope: the bench acts as the province's administrator.</summary>
    private static ServiceProvider Build() => AppHost.Build(services =>
    {
        services.AddScoped<BenchScope>();
        services.AddScoped<IUnitScope>(sp => sp.GetRequiredService<BenchScope>().Current);
    });

    private sealed class BenchScope
    {
        public IUnitScope Current { get; set; } = FixedUnitScope.System;
    }

    /// <summary>Each call in a fresh DI scope, as each page load of a circuit gets fresh use cases.</summary>
    private static Task<List<double>> TimeAsync(ServiceProvider services, IUnitScope user, int warmUp, int count, Func<DashboardQueries, Task> action,
        Func<Task>? before = null) =>
        BenchTiming.TimeAsync(warmUp, count, async () =>
        {
            await using var scope = services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<BenchScope>().Current = user;
            await action(scope.ServiceProvider.GetRequiredService<DashboardQueries>());
        }, before);

}
