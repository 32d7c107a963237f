using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DtiPortal.Integration.Tests.Deployment;

/// <summary>
/// A throw-away Redis for the shared-cache tests (issue 17): Debian's redis-server (scripts/ensure-deps.sh installs it),
/// started on a free port without persistence, stopped at the end. <see cref="StopAsync"/> and <see cref="StartAsync"/>
/// (same port) let a test take it away under running instances.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    public const string Binary = "/usr/bin/redis-server";

    private Process? _process;

    public int Port { get; } = FreePort();

    /// <summary>The connection string the app reads from Redis:Configuration.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public Task InitializeAsync() => StartAsync();

    public async Task StartAsync()
    {
        var binary = File.Exists(Binary) ? Binary : "redis-server";
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", Path.GetTempPath() })
            psi.ArgumentList.Add(a);
        try
        {
            _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start redis-server");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("redis-server is not installed: run scripts/ensure-deps.sh (apt-get install redis-server)", ex);
        }
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await PingAsync())
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}");
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException("redis-server did not answer PING within 20 s");
            await Task.Delay(100);
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var n = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task DisposeAsync() => StopAsync();
}
