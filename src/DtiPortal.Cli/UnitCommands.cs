using System.CommandLine;
using DtiPortal.Application.Units;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Cli;

internal static class UnitCommands
{
    public static void AddTo(RootCommand root)
    {
        var units = new Command("units", "Quản lý đơn vị hành chính.");
        var file = new Argument<FileInfo>("FILE") { Description = "Tệp .xlsx hoặc .csv: Mã, Tên, Loại, Mã đơn vị cấp trên, Hiệu lực từ, Hiệu lực đến, Đơn vị tiền thân, Hình thức" };
        var import = new Command("import", "Nhập danh sách đơn vị từ tệp .xlsx/.csv (có lỗi thì không nhập gì).") { file };
        import.SetAction((parse, ct) => AppHost.RunAsync(async services =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) { Console.Error.WriteLine($"Lỗi: không tìm thấy tệp '{path.FullName}'."); return 1; }
            await using var stream = path.OpenRead();
            using var scope = services.CreateScope();
            var result = await scope.ServiceProvider.GetRequiredService<ImportUnits>().ImportAsync(stream, path.Name, ct: ct);
            if (!result.Succeeded)
            {
                Console.Error.WriteLine($"Không nhập đơn vị nào: tệp '{path.Name}' có {result.Errors.Count} lỗi.");
                foreach (var e in result.Errors) Console.Error.WriteLine("  " + e);
                return 1;
            }
            Console.WriteLine($"Đã nhập {result.Imported} đơn vị từ '{path.Name}'.");
            return 0;
        }));
        units.Subcommands.Add(import);
        root.Subcommands.Add(units);
    }
}
