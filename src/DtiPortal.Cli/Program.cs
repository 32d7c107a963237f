using System.CommandLine;
using DtiPortal.Cli;

var root = new RootCommand("dti — công cụ dòng lệnh của DtiPortal (đánh giá chuyển đổi số)");
DatabaseCommands.AddTo(root);
UnitCommands.AddTo(root);
DemoCommands.AddTo(root);
ScoringCommands.AddTo(root);
return await root.Parse(args).InvokeAsync();
