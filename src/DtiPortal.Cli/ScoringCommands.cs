using System.CommandLine;

namespace DtiPortal.Cli;

/// <summary>`dti sets`, `dti score`, `dti bench score` (issue 4).</summary>
internal static class ScoringCommands
{
    public static void AddTo(RootCommand root) { }
}
