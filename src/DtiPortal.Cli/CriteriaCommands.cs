using System.CommandLine;
using System.Text;
using DtiPortal.Application.Criteria;
using DtiPortal.Domain.Criteria;
using DtiPortal.Domain.Scoring;
using Microsoft.Extensions.DependencyInjection;

namespace DtiPortal.Cli;

/// <summary>`dti sets load FILE.yaml` (issue 4): stores a new published version in the database and shows what it changes.</summary>
internal static class CriteriaCommands
{
    public static void AddTo(RootCommand root)
    {
        // `dti sets` itself (the built-ins, no database) lives in ScoringCommands; `load` hangs under it.
        var sets = root.Subcommands.First(c => c.Name == "sets");
        sets.Subcommands.Add(LoadCommand());
    }

    private static Command LoadCommand()
    {
        var fileArgument = new Argument<FileInfo>("FILE") { Description = "Tệp bộ chỉ số .yaml (định dạng dti-criteria/1)" };
        var command = new Command("load", "Nạp một phiên bản bộ chỉ số vào cơ sở dữ liệu; phiên bản đã công bố không được sửa");
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
            var yaml = File.ReadAllText(file.FullName);
            return AppHost.RunAsync(async services =>
            {
                using var scope = services.CreateScope();
                // The built-ins first, so a new version of a built-in set is compared with the shipped one.
                await scope.ServiceProvider.GetRequiredService<SyncBuiltInSets>().HandleAsync(ct);
                var outcome = await scope.ServiceProvider.GetRequiredService<LoadCriteriaSet>()
                    .HandleAsync(yaml, $"{Environment.UserName} (dòng lệnh)", ct: ct);
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
