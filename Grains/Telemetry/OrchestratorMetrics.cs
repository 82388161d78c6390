using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Orchestrator.Grains.Telemetry;

/// <summary>
/// The orchestrator's metrics, in one <see cref="Meter"/> named <see cref="MeterName"/>: counters and histograms
/// recorded where things happen on this silo, and gauges of the whole cluster read from the latest
/// <see cref="ClusterGauges"/>. The Prometheus exporter derives the exposed names from these instrument names and
/// units (dots become underscores, a unit <c>s</c> adds <c>_seconds</c>, <c>By</c> adds <c>_bytes</c>, a counter
/// adds <c>_total</c>): <c>orch.placements</c> is scraped as <c>orch_placements_total</c>.
/// </summary>
public sealed class OrchestratorMetrics
{
    public const string MeterName = "Orchestrator";

    /// <summary>How long after the last read of the gauges the cluster is still read for them; then refreshing pauses.</summary>
    public static readonly TimeSpan GaugesWantedFor = TimeSpan.FromMinutes(1);

    // Seconds, from a grain call's latency to a slow image pull or a task waiting minutes for capacity.
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Counter<long> _placements;
    private readonly Histogram<double> _placementDuration;
    private readonly Histogram<double> _taskStartDuration;
    private readonly Counter<long> _nodeLosses;
    private readonly Counter<long> _imagePulls;
    private readonly Histogram<double> _storageWriteDuration;
    private readonly Counter<long> _storageRetries;
    // Restarts per job since this silo started; reported only for jobs the cluster still runs, so the label stays bounded.
    private readonly ConcurrentDictionary<string, long> _restarts = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private volatile ClusterGauges? _gauges;
    private long _gaugesReadAt;

    public OrchestratorMetrics(IMeterFactory meters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _time = time;
        // The first minute refreshes whether or not anyone reads: a scraper's first look finds figures.
        _gaugesReadAt = time.GetTimestamp();
        var meter = meters.Create(MeterName);
        _placements = meter.CreateCounter<long>("orch.placements", description: "Placement outcomes: placed (a task reserved on a node), refused (a node refused a reservation the ranking offered), unplaced (an attempt found no node)");
        _placementDuration = meter.CreateHistogram("orch.placement.duration", "s", "From a task's creation (its job's submission, scale or replacement) to Scheduled on a node", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _taskStartDuration = meter.CreateHistogram("orch.task.start.duration", "s", "From a task's placement (Scheduled) to Running: image pull and container start", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _nodeLosses = meter.CreateCounter<long>("orch.node.losses", description: "Nodes declared lost (Down) and their tasks replaced");
        _imagePulls = meter.CreateCounter<long>("orch.image.pulls", description: "Image pulls by a node, by result: pulled or failed");
        _storageWriteDuration = meter.CreateHistogram("orch.storage.write.duration", "s", "A grain state write or clear, from the grain's call to its commit, retries included", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _storageRetries = meter.CreateCounter<long>("orch.storage.retries", description: "Grain state reads, writes and clears sent again because the database could not be reached");
        meter.CreateObservableCounter("orch.task.restarts", ObserveRestarts, description: "Container restarts by a task's restart policy, per live job, counted on the silo of the task");
        meter.CreateObservableGauge("orch.tasks", () => Gauges(g => g.Tasks.Select(t => new Measurement<long>(t.Count, Tag("job", t.Job), Tag("state", t.State)))), description: "Tasks of live jobs by state, as the cluster sees them");
        meter.CreateObservableGauge("orch.node.up", () => Gauges(g => g.Nodes.Select(n => new Measurement<int>(n.Up ? 1 : 0, Tag("node", n.Name)))), description: "1 when the node is Ready or Draining, 0 when Down");
        meter.CreateObservableGauge("orch.node.cpu.capacity.cores", () => Gauges(g => g.Nodes.Select(n => new Measurement<double>(n.CpuCapacity, Tag("node", n.Name)))), description: "CPU cores the node offers");
        meter.CreateObservableGauge("orch.node.cpu.allocated.cores", () => Gauges(g => g.Nodes.Select(n => new Measurement<double>(n.CpuAllocated, Tag("node", n.Name)))), description: "CPU cores reserved by tasks on the node");
        meter.CreateObservableGauge("orch.node.memory.capacity", () => Gauges(g => g.Nodes.Select(n => new Measurement<long>(n.MemoryCapacityBytes, Tag("node", n.Name)))), "By", "Memory the node offers");
        meter.CreateObservableGauge("orch.node.memory.allocated", () => Gauges(g => g.Nodes.Select(n => new Measurement<long>(n.MemoryAllocatedBytes, Tag("node", n.Name)))), "By", "Memory reserved by tasks on the node");
    }

    /// <summary>Whether anyone read the gauges lately (or never yet), so that the cluster is worth reading for them.</summary>
    public bool GaugesWanted => _gauges is null || _time.GetElapsedTime(Interlocked.Read(ref _gaugesReadAt)) < GaugesWantedFor;

    /// <summary>The cluster as the gauges report it from now on.</summary>
    public void Update(ClusterGauges gauges)
    {
        ArgumentNullException.ThrowIfNull(gauges);
        _gauges = gauges;
        foreach (var job in _restarts.Keys.Where(j => !gauges.LiveJobs.Contains(j)))
        {
            _restarts.TryRemove(job, out _);
        }
    }

    /// <summary>A task reserved on a node: how long it waited since it was created.</summary>
    public void Placed(TimeSpan sinceCreated)
    {
        _placements.Add(1, Tag("result", "placed"));
        _placementDuration.Record(Math.Max(0, sinceCreated.TotalSeconds));
    }

    /// <summary>A node refused a reservation that the ranking had offered (it no longer fit, or the node was unreachable).</summary>
    public void Refused() => _placements.Add(1, Tag("result", "refused"));

    /// <summary>A placement attempt found no node; the task waits and tries again.</summary>
    public void Unplaced() => _placements.Add(1, Tag("result", "unplaced"));

    /// <summary>A placed task's container runs, <paramref name="sincePlaced"/> after its placement.</summary>
    public void Started(TimeSpan sincePlaced) => _taskStartDuration.Record(Math.Max(0, sincePlaced.TotalSeconds));

    /// <summary>A task of <paramref name="job"/> is restarted by its restart policy.</summary>
    public void Restarted(string job) => _restarts.AddOrUpdate(job, 1, (_, n) => n + 1);

    public void NodeLost() => _nodeLosses.Add(1);

    public void ImagePulled(bool succeeded) => _imagePulls.Add(1, Tag("result", succeeded ? "pulled" : "failed"));

    public void StorageWritten(TimeSpan took) => _storageWriteDuration.Record(took.TotalSeconds);

    public void StorageRetried() => _storageRetries.Add(1);

    private Measurement<long>[] ObserveRestarts()
    {
        var live = _gauges?.LiveJobs;
        return live is null ? [] : _restarts.Where(r => live.Contains(r.Key)).Select(r => new Measurement<long>(r.Value, Tag("job", r.Key))).ToArray();
    }

    private Measurement<T>[] Gauges<T>(Func<ClusterGauges, IEnumerable<Measurement<T>>> read)
        where T : struct
    {
        Interlocked.Exchange(ref _gaugesReadAt, _time.GetTimestamp());
        return _gauges is { } gauges ? read(gauges).ToArray() : [];
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
