using System.CommandLine;
using DtiPortal.Application.Demo;
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
            return 0;
        }));
        demo.Subcommands.Add(seed);
        root.Subcommands.Add(demo);
    }
}
