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
            // The built-in criteria sets become stored versions here too, for servers that migrate with the CLI only.
            using (var scope = services.CreateScope())
                await scope.ServiceProvider.GetRequiredService<DtiPortal.Application.Criteria.SyncBuiltInSets>().HandleAsync(ct);
            return 0;
        }));
        root.Subcommands.Add(migrate);
    }
}
