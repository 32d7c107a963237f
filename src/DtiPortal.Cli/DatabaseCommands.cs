using System.CommandLine;
using DtiPortal.Application.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Cli;

internal static class DatabaseCommands
{
    public static void AddTo(RootCommand root)
    {
        var migrate = new Command("migrate", "Tạo/cập nhật lược đồ cơ sở dữ liệu (áp dụng các migration còn thiếu).");
        migrate.SetAction((_, ct) => AppHost.RunAsync(async services =>
        {
            var cs = Database.ConnectionString(services.GetRequiredService<IConfiguration>());
            await Database.EnsureReachableAsync(cs, ct);
            await Database.MigrateAsync(services, ct);
            Console.WriteLine("Cơ sở dữ liệu đã được cập nhật.");
            return 0;
        }));
        root.Subcommands.Add(migrate);
    }
}
