using System.Diagnostics;

namespace DtiPortal.E2E.Documents;

/// <summary>The Chromium browser processes this test process started (through Playwright's driver), from /proc.</summary>
public static class ChromiumProcesses
{
    /// <summary>Browser processes (not their renderers) descending from this process.</summary>
    public static HashSet<int> Descendants()
    {
        var parents = new Dictionary<int, int>();
        var browsers = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": state ppid …
                parents[pid] = int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains("chromium", StringComparison.Ordinal) && !cmdline.Contains("--type=", StringComparison.Ordinal))
                    browsers.Add(pid);
            }
            catch (IOException) { /* the process ended meanwhile */ }
            catch (UnauthorizedAccessException) { }
        }
        var self = Environment.ProcessId;
        return browsers.Where(pid =>
        {
            for (var p = pid; parents.TryGetValue(p, out var parent) && parent > 1; p = parent)
                if (parent == self) return true;
            return false;
        }).ToHashSet();
    }

    public static void Kill(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill(entireProcessTree: true);
        process.WaitForExit(5000);
    }
}
