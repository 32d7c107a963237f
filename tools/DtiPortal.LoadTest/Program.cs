using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DtiPortal.LoadTest;

// Issue 17: N officers of N communes keep their entry pages open; a share of them type a figure every few seconds.
// Ends with one line: CIRCUITS circuits=N typing=N p50_ms=x p95_ms=x kb_per_circuit=x saves_per_s=x errors=N
// (scripts/bench-circuits.sh prepares the data, starts the app and runs this).
Console.OutputEncoding = Encoding.UTF8;
var options = Options.Parse(args);
if (options is null) return 2;

var baseUri = new Uri(options.Url.TrimEnd('/') + "/");
var clients = new List<CircuitClient>();
var errors = 0;
var errorSamples = new List<string>();
void Fail(string message)
{
    Interlocked.Increment(ref errors);
    lock (errorSamples) if (errorSamples.Count < 5) errorSamples.Add(message);
}

// The app's heap before any circuit opens, to tell the circuits' share from the app's own (caches, sets, EF model).
if (options.AppPid is { } appPid && options.BaselineHeapBytes == 0 && await GcHeapBytesAsync(appPid, options.GcdumpDirectory, options.Url) is { } baseline)
    options = options with { BaselineHeapBytes = baseline };

// Open the circuits, a few at a time (sign-in hashes the password: PBKDF2 is the expensive part of opening).
var opening = Stopwatch.StartNew();
using (var gate = new SemaphoreSlim(options.OpenConcurrency))
{
    var tasks = Enumerable.Range(1, options.Circuits).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            var client = new CircuitClient(baseUri, string.Format(CultureInfo.InvariantCulture, options.UserFormat, i), options.Password, options.Page);
            try
            {
                await client.OpenAsync(CancellationToken.None);
                lock (clients) clients.Add(client);
            }
            catch (Exception ex)
            {
                Fail(ex.Message);
                await client.DisposeAsync();
            }
        }
        finally { gate.Release(); }
    }).ToList();
    await Task.WhenAll(tasks);
}
Console.Error.WriteLine($"bench: {clients.Count}/{options.Circuits} mạch đã mở sau {opening.Elapsed.TotalSeconds:0.0} s");

// Typing: the first share of the circuits, each on its own clock (a random start within the first interval).
var typing = options.Idle ? 0 : (int)Math.Round(clients.Count * options.TypingShare);
var latencies = new List<double>();
var saves = 0;
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds));
var run = Stopwatch.StartNew();
var typers = clients.Take(typing).Select(async client =>
{
    try { await client.ChooseFieldAsync(stop.Token); }
    catch (Exception ex) when (ex is not OperationCanceledException)
    {
        Fail($"{ex.Message} {client.Error}");
        return;
    }
    catch (OperationCanceledException) { return; }
    try { await Task.Delay(Random.Shared.Next(options.IntervalMs), stop.Token); }
    catch (OperationCanceledException) { return; }
    while (!stop.IsCancellationRequested)
    {
        var next = Stopwatch.StartNew();
        try
        {
            var elapsed = await client.TypeAsync(CancellationToken.None);
            lock (latencies) latencies.Add(elapsed.TotalMilliseconds);
            Interlocked.Increment(ref saves);
        }
        catch (Exception ex)
        {
            Fail($"{client.Address}: {ex.Message} {client.Error}");
            if (client.Closed) return;
        }
        var wait = options.IntervalMs - (int)next.ElapsedMilliseconds;
        try { if (wait > 0) await Task.Delay(wait, stop.Token); }
        catch (OperationCanceledException) { return; }
    }
}).ToList();
try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
await Task.WhenAll(typers);
var seconds = run.Elapsed.TotalSeconds;
var open = clients.Count(c => !c.Closed);
foreach (var c in clients.Where(c => c.Error is not null && !c.Closed)) Fail(c.Error!);

// Memory: the app's live managed heap after a full GC (dotnet-gcdump forces one), while every circuit is still open.
double kbPerCircuit = 0;
if (options.AppPid is { } pid && open > 0)
{
    var heap = await GcHeapBytesAsync(pid, options.GcdumpDirectory, options.Url);
    if (heap is { } bytes)
    {
        kbPerCircuit = bytes / 1024.0 / open;
        Console.Error.WriteLine($"bench: heap {bytes / 1024.0 / 1024.0:0.0} MB sau GC đầy đủ với {open} mạch mở" +
            (options.BaselineHeapBytes > 0 ? $"; trừ nền {options.BaselineHeapBytes / 1024.0 / 1024.0:0.0} MB: {(bytes - options.BaselineHeapBytes) / 1024.0 / open:0} KB/mạch" : ""));
    }
    else Fail("không đo được heap (dotnet-gcdump)");
}

foreach (var c in clients) await c.DisposeAsync();
foreach (var sample in errorSamples) Console.Error.WriteLine("bench: lỗi: " + sample);
latencies.Sort();
static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
var ci = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(ci,
    $"CIRCUITS circuits={open} typing={typing} p50_ms={Percentile(latencies, 0.50):0} p95_ms={Percentile(latencies, 0.95):0} " +
    $"kb_per_circuit={kbPerCircuit:0} saves_per_s={saves / seconds:0.0} errors={errors}"));
return 0;

static async Task<long?> GcHeapBytesAsync(int pid, string directory, string url)
{
    // The app's own figure when it offers one (Diagnostics:HeapEndpoint, loopback only): GC.GetTotalMemory after a full
    // collection. dotnet-gcdump's total stops at 10 million objects (about 2,000 open pages): it is kept for the by-type
    // report in --gcdump-dir, and as the figure only when the endpoint is off.
    long? live = null;
    try
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        using var response = await http.GetAsync("/dev/heap");
        if (response.IsSuccessStatusCode && long.TryParse(await response.Content.ReadAsStringAsync(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
            live = bytes;
    }
    catch (HttpRequestException) { }
    // A heap dump only when asked for (--gcdump-dir) or when the app offers no figure of its own.
    if (live is not null && directory == Dumps.Default) return live;
    Directory.CreateDirectory(directory);
    var file = Path.Combine(directory, $"circuits-{pid}-{DateTime.UtcNow:HHmmss}.gcdump");
    if (await RunAsync("dotnet", $"dotnet-gcdump collect -p {pid} -o \"{file}\"") is null) return null;
    var report = await RunAsync("dotnet", $"dotnet-gcdump report \"{file}\"");
    var match = report is null ? null : Regex.Match(report, @"([\d,.]+)\s+GC Heap bytes");
    return live ?? (match is { Success: true } ? long.Parse(match.Groups[1].Value.Replace(",", "").Replace(".", ""), CultureInfo.InvariantCulture) : null);
}

static async Task<string?> RunAsync(string file, string arguments)
{
    var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
    using var process = Process.Start(psi)!;
    var output = await process.StandardOutput.ReadToEndAsync();
    var error = await process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode == 0) return output;
    Console.Error.WriteLine($"bench: {file} {arguments}: {error}{output}");
    return null;
}

/// <summary>Where heap dumps go unless --gcdump-dir says otherwise.</summary>
internal static class Dumps
{
    public static readonly string Default = Path.Combine(Path.GetTempPath(), "dti-bench");
}

internal sealed record Options(string Url, int Circuits, int Seconds, double TypingShare, bool Idle, int IntervalMs, string UserFormat,
    string Password, int OpenConcurrency, int? AppPid, long BaselineHeapBytes, string GcdumpDirectory, string? Page = null)
{
    public static Options? Parse(string[] args)
    {
        var o = new Options("http://127.0.0.1:5080", 20, 30, 1.0, false, 10_000, "bench.xa{0:D5}", "DtiDemo2024", 8, null, 0,
            Dumps.Default);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} cần một giá trị.");
            var ci = CultureInfo.InvariantCulture;
            switch (args[i])
            {
                case "--url": o = o with { Url = Next() }; break;
                case "--circuits": o = o with { Circuits = int.Parse(Next(), ci) }; break;
                case "--seconds": o = o with { Seconds = int.Parse(Next(), ci) }; break;
                case "--typing-share": o = o with { TypingShare = double.Parse(Next(), ci) }; break;
                case "--idle": o = o with { Idle = true }; break;
                case "--interval-ms": o = o with { IntervalMs = int.Parse(Next(), ci) }; break;
                case "--user-format": o = o with { UserFormat = Next() }; break;
                case "--password": o = o with { Password = Next() }; break;
                case "--open-concurrency": o = o with { OpenConcurrency = int.Parse(Next(), ci) }; break;
                case "--app-pid": o = o with { AppPid = int.Parse(Next(), ci) }; break;
                case "--baseline-heap-bytes": o = o with { BaselineHeapBytes = long.Parse(Next(), ci) }; break;
                case "--gcdump-dir": o = o with { GcdumpDirectory = Next() }; break;
                // Another page than the officer's entry page (e.g. /danh-gia): what the shell and the framework alone cost. Idle.
                case "--page": o = o with { Page = Next(), Idle = true }; break;
                default:
                    Console.Error.WriteLine($"Không hiểu tham số '{args[i]}'. Dùng: --url U --circuits N --seconds S [--typing-share F] [--idle] " +
                        "[--interval-ms 10000] [--user-format bench.xa{0:D5}] [--password P] [--open-concurrency 8] [--app-pid PID] [--gcdump-dir D] [--page /duong-dan]");
                    return null;
            }
        }
        return o;
    }
}
