using System.CommandLine;

namespace DtiPortal.Cli;

// Not top-level statements: the test projects reference both this tool and the web app, whose Program is public.
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = new RootCommand("dti — công cụ dòng lệnh của DtiPortal (đánh giá chuyển đổi số)");
        DatabaseCommands.AddTo(root);
        UnitCommands.AddTo(root);
        DemoCommands.AddTo(root);
        ScoringCommands.AddTo(root);
        CriteriaCommands.AddTo(root);
        root.Subcommands.Add(ScoreExportCommands.Scores()); // issue 8: `dti scores export` (backup/restore check)
        return await root.Parse(args).InvokeAsync();
    }
}
