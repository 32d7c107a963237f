using System.Diagnostics;

namespace DtiPortal.Integration.Tests.Cli;

/// <summary>Runs the built `dti` tool as an operator would: a separate process, configured only through the environment.</summary>
internal static class DtiProcess
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string? connectionString, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "dti.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("ConnectionStrings__Dti");
        if (connectionString is not null) psi.Environment["ConnectionStrings__Dti"] = connectionString;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        return (p.ExitCode, await stdout, await stderr);
    }
}
