using System.Collections.Concurrent;
using System.Globalization;
using Docker.DotNet.Models;
using Orchestrator.Grains.Nodes;

namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>
/// Follows the container events of one cluster on every engine for the whole run, so that a container that
/// started, exited and was removed between two looks at the engines is still counted. A stream that breaks (a
/// frozen or restarted engine) is followed again from the last event seen, which the engine replays.
/// </summary>
internal sealed class EngineEventLog : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Engine, string Container), Run> _runs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _followers;

    public EngineEventLog(IReadOnlyList<RigEngine> engines, string clusterId)
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        _followers = [.. engines.Select(e => Task.Run(() => FollowAsync(e, clusterId, since, _stop.Token)))];
    }

    /// <summary>Every container seen so far, with its starts and exit codes.</summary>
    public IReadOnlyList<ContainerRun> Runs() =>
        [.. _runs.Select(r => { lock (r.Value) { return new ContainerRun(r.Key.Engine, r.Key.Container, r.Value.TaskId, r.Value.Starts, [.. r.Value.ExitCodes]); } })];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_followers);
        _stop.Dispose();
    }

    private async Task FollowAsync(RigEngine engine, string clusterId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var last = since;
        var progress = new Progress(this, engine.Name, t => last = t);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await engine.Client.System.MonitorEventsAsync(new ContainerEventsParameters
                {
                    Since = last.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["type"] = new Dictionary<string, bool> { ["container"] = true },
                        ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Cluster}={clusterId}"] = true },
                    },
                }, progress, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any broken stream is followed again, from where it broke.
            catch (Exception)
#pragma warning restore CA1031
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Record(string engine, Message message)
    {
        if (message.Actor?.ID is not { Length: > 0 } id || message.Actor.Attributes is not { } attributes
            || !attributes.TryGetValue(ContainerLabels.Task, out var taskId))
        {
            return;
        }
        var run = _runs.GetOrAdd((engine, id), _ => new Run(taskId));
        var time = message.TimeNano ?? 0;
        lock (run)
        {
            // A stream followed again from its last second replays that second's events: each counts once.
            if (!run.Seen.Add((time, message.Action ?? "")))
            {
                return;
            }
            if (message.Action == "start")
            {
                run.Starts++;
            }
            else if (message.Action == "die" && attributes.TryGetValue("exitCode", out var code)
                && int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var exitCode))
            {
                run.ExitCodes.Add(exitCode);
            }
        }
    }

    private sealed class Run(string taskId)
    {
        public string TaskId { get; } = taskId;

        public int Starts { get; set; }

        public List<int> ExitCodes { get; } = [];

        public HashSet<(long Time, string Action)> Seen { get; } = [];
    }

    private sealed class Progress(EngineEventLog log, string engine, Action<DateTimeOffset> seen) : IProgress<Message>
    {
        public void Report(Message value)
        {
            log.Record(engine, value);
            if (value.TimeNano is { } nanos)
            {
                seen(DateTimeOffset.UnixEpoch.AddTicks(nanos / 100));
            }
        }
    }
}
