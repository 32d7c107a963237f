using System.CommandLine;
using System.Text;
using DtiPortal.Application.Criteria;
using DtiPortal.Application.Criteria.Workbook;
using DtiPortal.Domain;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Cli;

/// <summary>
/// `dti sets import FILE` (alias `load`, issue 4; .xlsx since issue 14): stores a new published version in the database and
/// shows what it changes. `dti sets export ID [--version N] --format xlsx|yaml --out FILE` (issue 14) writes a stored version.
/// </summary>
internal static class CriteriaCommands
{
    public static void AddTo(RootCommand root)
    {
        // `dti sets` itself (the built-ins, no database) lives in ScoringCommands; `load` hangs under it.
        var sets = root.Subcommands.First(c => c.Name == "sets");
        sets.Subcommands.Add(ImportCommand());
        sets.Subcommands.Add(ExportCommand());
    }

    private static Command ExportCommand()
    {
        var idArgument = new Argument<string>("ID") { Description = "Mã bộ chỉ số (xem `dti sets`)" };
        var versionOption = new Option<int?>("--version") { Description = "Phiên bản; mặc định phiên bản mới nhất" };
        var formatOption = new Option<string>("--format") { Description = "xlsx | yaml", Required = true };
        formatOption.AcceptOnlyFromAmong("xlsx", "yaml");
        var outOption = new Option<FileInfo>("--out") { Description = "Tệp ghi ra", Required = true };
        var command = new Command("export", "Xuất một phiên bản bộ chỉ số đã lưu ra tệp .xlsx (bảng tính bộ chỉ số) hoặc .yaml");
        command.Arguments.Add(idArgument);
        command.Options.Add(versionOption);
        command.Options.Add(formatOption);
        command.Options.Add(outOption);
        command.SetAction((parseResult, ct) =>
        {
            Console.OutputEncoding = Encoding.UTF8;
            var id = parseResult.GetValue(idArgument)!;
            var version = parseResult.GetValue(versionOption);
            var format = parseResult.GetValue(formatOption)!;
            var output = parseResult.GetValue(outOption)!;
            return AppHost.RunAsync(async services =>
            {
                using var scope = services.CreateScope();
                await scope.ServiceProvider.GetRequiredService<SyncBuiltInSets>().HandleAsync(ct);
                var stored = await scope.ServiceProvider.GetRequiredService<CriteriaQueries>().YamlAsync(id, version, ct);
                if (stored is not { } found)
                {
                    Console.Error.WriteLine(version is { } v
                        ? $"Không có bộ chỉ số '{id}' phiên bản {v}"
                        : $"Không có bộ chỉ số '{id}'");
                    return 1;
                }
                // Written beside the target first, then moved: a failed export never leaves half a file under the name asked for.
                var temp = output.FullName + ".tmp";
                await using (var stream = File.Create(temp))
                {
                    if (format == "xlsx") CriteriaWorkbook.Write(found.Yaml, stream);
                    else await stream.WriteAsync(Encoding.UTF8.GetBytes(found.Yaml), ct);
                }
                File.Move(temp, output.FullName, overwrite: true);
                Console.WriteLine($"Đã xuất bộ chỉ số {id} phiên bản {found.Version} ra {output.FullName}");
                return 0;
            });
        });
        return command;
    }

    private static Command ImportCommand()
    {
        var fileArgument = new Argument<FileInfo>("FILE") { Description = "Tệp bộ chỉ số .yaml (định dạng dti-criteria/1) hoặc .xlsx (bảng tính bộ chỉ số)" };
        var command = new Command("import", "Nạp một phiên bản bộ chỉ số vào cơ sở dữ liệu; phiên bản đã công bố không được sửa");
        command.Aliases.Add("load"); // the issue 4 name, kept for scripts
        command.Arguments.Add(fileArgument);
        command.SetAction((parseResult, ct) =>
        {
            Console.OutputEncoding = Encoding.UTF8;
            var file = parseResult.GetValue(fileArgument)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"Không tìm thấy tệp '{file.FullName}'");
                return Task.FromResult(1);
            }
            string yaml;
            try
            {
                yaml = SetFiles.ReadYaml(file);
            }
            catch (Exception ex) when (ex is DomainException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(ex.Message);
                return Task.FromResult(1);
            }
            return AppHost.RunAsync(async services =>
            {
                using var scope = services.CreateScope();
                // The built-ins first, so a new version of a built-in set is compared with the shipped one.
                await scope.ServiceProvider.GetRequiredService<SyncBuiltInSets>().HandleAsync(ct);
                var load = scope.ServiceProvider.GetRequiredService<LoadCriteriaSet>();
                var by = $"{Environment.UserName} (dòng lệnh)";
                var outcome = SetFiles.IsWorkbook(file) ? await load.HandleFromWorkbookAsync(yaml, by, ct) : await load.HandleAsync(yaml, by, ct: ct);
                return Print(outcome, file.Name);
            });
        });
        return command;
    }

    private static int Print(CriteriaLoadOutcome outcome, string fileName)
    {
        switch (outcome.Status)
        {
            case CriteriaLoadStatus.Invalid:
                Console.Error.WriteLine($"{fileName}: {outcome.Message}");
                foreach (var e in outcome.Errors) Console.Error.WriteLine($"  {e}");
                return 1;
            case CriteriaLoadStatus.Refused:
                Console.Error.WriteLine(outcome.Message);
                return 1;
            case CriteriaLoadStatus.Unchanged:
                Console.WriteLine(outcome.Message);
                return 0;
            default:
                Console.WriteLine(outcome.Message);
                if (outcome.Diff is { } diff) WriteDiff(diff);
                return 0;
        }
    }

    private static void WriteDiff(CriteriaSetDiff diff)
    {
        if (diff.IsEmpty)
        {
            Console.WriteLine("  Không có chỉ số nào thay đổi (chỉ khác phần đầu hoặc ghi chú).");
            return;
        }
        foreach (var n in diff.Added) Console.WriteLine($"  + {n.Code} {n.Name} ({VnFormat.Number(n.Max)} điểm)");
        foreach (var n in diff.Removed) Console.WriteLine($"  - {n.Code} {n.Name}");
        foreach (var c in diff.Changed)
            Console.WriteLine($"  ~ {c.Code} {c.Name}: {string.Join(", ", c.Fields.Select(f => CriteriaDiffText.Field(f, c)))}");
    }
}
