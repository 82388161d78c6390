using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Orchestrator.Testing;

/// <summary>
/// A real silo process, started from the built Orchestrator.Silo.dll with command-line configuration.
/// <see cref="Kill"/> sends SIGKILL, as a machine failure would; disposing kills it too.
/// </summary>
internal sealed class SiloProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _log = new();
    private Process? _process;

    private SiloProcess(IReadOnlyDictionary<string, string> settings, int gatewayPort)
    {
        Settings = settings;
        GatewayPort = gatewayPort;
    }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public int GatewayPort { get; }

    public string Log => string.Join('\n', _log);

    public bool HasExited => _process?.HasExited ?? true;

    /// <summary>The silo's process id while it runs.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>Starts a silo with these settings (config keys → values) and waits until its node is up.</summary>
    public static async Task<SiloProcess> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan? timeout = null)
    {
        var gatewayPort = int.Parse(settings["Orleans:GatewayPort"], System.Globalization.CultureInfo.InvariantCulture);
        var silo = new SiloProcess(settings, gatewayPort);
        await silo.LaunchAsync(timeout ?? TimeSpan.FromSeconds(90));
        return silo;
    }

    /// <summary>Starts the same silo again (after <see cref="Kill"/>), with the same settings.</summary>
    public Task RestartAsync(TimeSpan? timeout = null) => LaunchAsync(timeout ?? TimeSpan.FromSeconds(90));

    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task LaunchAsync(TimeSpan timeout)
    {
        _process?.Dispose();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(RepoPaths.SiloDll)!,
        };
        start.ArgumentList.Add(RepoPaths.SiloDll);
        foreach (var (key, value) in Settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        // A test run has a dozen silos at once on two cores, so what each spends beside its work is time the others
        // wait: dynamic PGO's instrumented tier (hot methods compiled twice more in a silo's first seconds) and server
        // GC (a heap and a GC thread per core, per silo). Neither changes what a silo does; one a user runs keeps both.
        start.Environment["DOTNET_TieredPGO"] = "0";
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        var nodeUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Record(e.Data, nodeUp);
        process.ErrorDataReceived += (_, e) => Record(e.Data, nodeUp);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var cts = new CancellationTokenSource(timeout);
        var exited = process.WaitForExitAsync(cts.Token);
        var finished = await Task.WhenAny(nodeUp.Task, exited, Task.Delay(timeout, cts.Token));
        if (finished != nodeUp.Task)
        {
            Kill();
            throw new InvalidOperationException($"silo did not come up (exited: {process.HasExited}); log:\n{Log}");
        }
        await WaitForGatewayAsync(cts.Token);
    }

    private void Record(string? line, TaskCompletionSource nodeUp)
    {
        if (line is null)
        {
            return;
        }
        _log.Enqueue(line);
        if (line.Contains("is up", StringComparison.Ordinal) && line.Contains("Node ", StringComparison.Ordinal))
        {
            nodeUp.TrySetResult();
        }
    }

    private async Task WaitForGatewayAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", GatewayPort, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }
}
