using System.CommandLine;
using DtiPortal.Cli;

var root = new RootCommand("dti — công cụ dòng lệnh của DtiPortal");
ScoringCommands.AddTo(root);
return await root.Parse(args).InvokeAsync();
