using System.CommandLine;
using DtiPortal.Application.Demo;
using DtiPortal.Application.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Cli;

internal static class DemoCommands
{
    public static void AddTo(RootCommand root)
    {
        var demo = new Command("demo", "Dữ liệu mẫu để dùng thử và trình diễn.");
        var seed = new Command("seed", "Nạp dữ liệu mẫu (bỏ qua nếu đã có).");
        seed.SetAction((_, ct) => AppHost.RunAsync(async services =>
        {
            using var scope = services.CreateScope();
            var added = await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(ct);
            Console.WriteLine(added > 0 ? $"Đã nạp {added} đơn vị mẫu." : "Dữ liệu mẫu đã có sẵn.");
            var sets = await scope.ServiceProvider.GetRequiredService<DtiPortal.Application.Criteria.SyncBuiltInSets>().HandleAsync(ct);
            if (sets.Stored > 0) Console.WriteLine($"Đã đăng ký {sets.Stored} bộ chỉ số dựng sẵn.");
            foreach (var p in sets.Problems) Console.Error.WriteLine($"Bộ chỉ số dựng sẵn {p.SetId}: {p.Message}");
            return 0;
        }));
        demo.Subcommands.Add(seed);
        demo.Subcommands.Add(PublicResultsCommands.Generate()); // issue 7: national-scale demo data (`dti demo generate --units 10000`)

        // Issue 17: the circuit load test's officers (scripts/bench-circuits.sh).
        var countOption = new Option<int>("--count") { Description = "Số cán bộ cấp xã (mỗi người một xã)", Required = true };
        var officers = new Command("officers",
            "Tạo đợt đánh giá năm kế tiếp (đang mở nhập) và tài khoản cán bộ cấp xã bench.xa00001… trên dữ liệu của `dti demo generate`, để đo tải");
        officers.Options.Add(countOption);
        officers.SetAction((parseResult, ct) => AppHost.RunAsync(async services =>
        {
            var report = await ActivatorUtilities.CreateInstance<BenchOfficers>(services).HandleAsync(parseResult.GetValue(countOption), ct);
            Console.WriteLine($"Năm {report.Year}: {report.Rounds} đợt mới, {report.Assessments} bản đánh giá nháp, {report.Officers} tài khoản mới " +
                $"({BenchOfficers.UserName(1)}…, mật khẩu {DemoUsers.Password}).");
            return 0;
        }));
        demo.Subcommands.Add(officers);

        var totp = new Command("totp", $"In mã xác thực hai bước hiện tại của các tài khoản mẫu (khóa {DemoUsers.AuthenticatorKey}).");
        totp.SetAction(_ =>
        {
            Console.WriteLine(Totp.Code(DemoUsers.AuthenticatorKey, DateTimeOffset.UtcNow));
            return 0;
        });
        demo.Subcommands.Add(totp);
        root.Subcommands.Add(demo);
    }
}
