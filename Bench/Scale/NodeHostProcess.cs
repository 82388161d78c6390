using System.Collections.Concurrent;
using System.Diagnostics;
using Orchestrator.Bench.Cluster;

namespace Orchestrator.Bench.Scale;

/// <summary>
/// A <see cref="NodeHost"/> child process, started from this benchmark's own assembly. Disposing closes its stdin,
/// which stops its silos; one that does not end within 30 s is killed.
/// </summary>
internal sealed class NodeHostProcess : IAsyncDisposable
{
    private const int KeptLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();

    private NodeHostProcess(Process process, IReadOnlyList<SimulatedNode> nodes)
    {
        _process = process;
        Nodes = nodes;
    }

    public IReadOnlyList<SimulatedNode> Nodes { get; }

    /// <summary>The peak resident memory of the whole process (all its silos) so far, in MiB.</summary>
    public double? PeakResidentMb => _process.HasExited ? null : ProcessStats.PeakResidentMb(_process.Id);

    /// <summary>CPU seconds the whole process has used so far.</summary>
    public double? CpuSeconds => _process.HasExited ? null : ProcessStats.CpuSeconds(_process.Id);

    public string LogTail => string.Join('\n', _tail);

    public static async Task<NodeHostProcess> StartAsync(string connectionString, string clusterId, IReadOnlyList<SimulatedNode> nodes, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in new[] { typeof(NodeHost).Assembly.Location, NodeHost.Command, "--connection", connectionString, "--cluster", clusterId, "--nodes", string.Join(',', nodes) })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        // One configuration file watcher per silo would exhaust the inotify instances a user may have (128).
        start.Environment["DOTNET_hostBuilder__reloadConfigOnChange"] = "false";
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        var host = new NodeHostProcess(process, nodes);
        process.OutputDataReceived += (_, e) => host.Record(e.Data, ready);
        process.ErrorDataReceived += (_, e) => host.Record(e.Data, ready);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await Task.WhenAny(ready.Task, process.WaitForExitAsync(wait.Token)).Unwrap();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out: reported below.
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        if (!ready.Task.IsCompleted)
        {
            await host.DisposeAsync();
            throw new InvalidOperationException($"the node host of {nodes[0].Name}… did not start its {nodes.Count} silos within {timeout.TotalSeconds:0} s; its last lines:\n{host.LogTail}");
        }
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It is ending already.
            }
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }

    private void Record(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }
        _tail.Enqueue(line);
        while (_tail.Count > KeptLines && _tail.TryDequeue(out _))
        {
        }
        if (line == NodeHost.ReadyLine)
        {
            ready.TrySetResult();
        }
    }
}
