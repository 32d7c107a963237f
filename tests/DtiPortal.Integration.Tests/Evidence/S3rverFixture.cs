using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DtiPortal.Application.Evidence;

namespace DtiPortal.Integration.Tests.Evidence;

/// <summary>
/// A real S3-protocol server for the S3 evidence store's tests (issue 16 §8): s3rver, installed by scripts/ensure-s3rver.sh
/// into .local/s3rver (Node.js from Debian), started here on a free port with its own data folder and one bucket, and
/// stopped at the end. Its credentials are s3rver's fixed ones (S3RVER / S3RVER); it checks signatures, so wrong ones fail.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public const string Bucket = "dti-evidence";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "dti-s3rver-" + Guid.NewGuid().ToString("N"));
    private Process? _server;

    public string ServiceUrl { get; private set; } = "";

    public EvidenceOptions.S3Options Options(string? accessKey = AccessKey, string? secretKey = SecretKey) => new()
    {
        ServiceUrl = ServiceUrl, Bucket = Bucket, AccessKey = accessKey, SecretKey = secretKey, ForcePathStyle = true, PartSizeMB = 5,
    };

    public async Task InitializeAsync()
    {
        var bin = await EnsureInstalledAsync();
        var port = FreePort();
        Directory.CreateDirectory(_data);
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { bin, "-d", _data, "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--silent", "--configure-bucket", Bucket })
            psi.ArgumentList.Add(a);
        _server = Process.Start(psi) ?? throw new InvalidOperationException("could not start s3rver");
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        ServiceUrl = $"http://127.0.0.1:{port}";

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_server.HasExited) throw new InvalidOperationException($"s3rver exited with code {_server.ExitCode}");
            try
            {
                // Anonymous: 403 (or 200) once it listens; any HTTP answer will do.
                await http.GetAsync($"{ServiceUrl}/{Bucket}");
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Runs scripts/ensure-s3rver.sh (idempotent) and answers the s3rver command it prints.</summary>
    private static async Task<string> EnsureInstalledAsync()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "scripts", "ensure-s3rver.sh"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("scripts/ensure-s3rver.sh not found above " + AppContext.BaseDirectory);
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(dir.FullName, "scripts", "ensure-s3rver.sh"));
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
        if (p.ExitCode != 0) throw new InvalidOperationException("scripts/ensure-s3rver.sh failed: " + await stderr);
        var bin = (await stdout).Trim().Split('\n')[^1].Trim();
        if (!File.Exists(bin)) throw new InvalidOperationException($"scripts/ensure-s3rver.sh printed {bin}, which does not exist");
        return bin;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }
        _server?.Dispose();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}
