using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchestrator.Bench.Engine;

/// <summary>
/// Follows the engine's event stream for containers carrying one label, recording each one's create and start
/// times as the engine stamped them. The stream is opened from a moment before the action, so nothing is missed
/// however late the subscription lands.
/// </summary>
internal sealed class EngineWatch : IAsyncDisposable, IProgress<Message>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _created = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _started = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _stream;

    private EngineWatch()
    {
    }

    public static EngineWatch Start(DockerClient docker, string label, DateTimeOffset since)
    {
        var watch = new EngineWatch();
        var parameters = new ContainerEventsParameters
        {
            Since = (since.ToUnixTimeSeconds() - 1).ToString(CultureInfo.InvariantCulture),
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["type"] = new Dictionary<string, bool> { ["container"] = true },
                ["label"] = new Dictionary<string, bool> { [label] = true },
                ["event"] = new Dictionary<string, bool> { ["create"] = true, ["start"] = true },
            },
        };
        watch._stream = docker.System.MonitorEventsAsync(parameters, watch, watch._stop.Token);
        return watch;
    }

    public void Report(Message value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var id = value.Actor?.ID;
        if (id is null || value.TimeNano is not { } nanos)
        {
            return;
        }
        var time = DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
        lock (_lock)
        {
            var seen = value.Action switch
            {
                "create" => _created,
                "start" => _started,
                _ => null,
            };
            seen?.TryAdd(id, time);
        }
    }

    /// <summary>Waits until <paramref name="count"/> containers have started, then tells their timeline.</summary>
    public async Task<EngineTimeline> WaitForStartsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (Timeline().Started < count)
        {
            if (_stream is { IsFaulted: true } failed)
            {
                throw new InvalidOperationException("the engine's event stream broke", failed.Exception);
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"only {Timeline().Started} of {count} containers started within {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(20, cancellationToken);
        }
        return Timeline();
    }

    public EngineTimeline Timeline()
    {
        lock (_lock)
        {
            // +1 at a container's create, -1 at its start: the running sum is how many were between the two.
            var steps = _created.Values.Select(t => (Time: t, Step: 1)).Concat(_started.Values.Select(t => (Time: t, Step: -1)))
                .OrderBy(s => s.Time).ThenBy(s => s.Step);
            int inFlight = 0, max = 0;
            foreach (var (_, step) in steps)
            {
                inFlight += step;
                max = Math.Max(max, inFlight);
            }
            return new EngineTimeline(
                _started.Count,
                _created.Count == 0 ? null : _created.Values.Min(),
                _started.Count == 0 ? null : _started.Values.Max(),
                max);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_stream is not null)
            {
                await _stream;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The stream ends by cancellation.
        }
        _stop.Dispose();
    }
}
