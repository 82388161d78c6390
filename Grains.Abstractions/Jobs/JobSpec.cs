using System.Text.Json.Serialization;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>
/// A job: a named, desired set of identical tasks (docs/CONTRACT.md, Job file). Parsed from the job file by
/// <see cref="JobSpecParser"/> and checked by <see cref="JobSpecValidator"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("job-spec")]
public sealed record JobSpec
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string Image { get; init; } = "";
    /// <summary>The command; null keeps the image's own.</summary>
    [Id(2)] public IReadOnlyList<string>? Command { get; init; }
    [Id(3)] public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    [Id(4)] public int Replicas { get; init; } = 1;
    [Id(5)] public ResourceSpec Resources { get; init; } = new();
    [Id(6)] public IReadOnlyList<PortSpec> Ports { get; init; } = [];
    [Id(7)] public RestartSpec Restart { get; init; } = new();
    [Id(8)] public HealthSpec? Health { get; init; }
    /// <summary>
    /// Node label → what it must be (<see cref="LabelConstraint"/>). Id 9 held the equality-only form (label → value)
    /// before operators came and is not reused.
    /// </summary>
    [Id(40), JsonConverter(typeof(ConstraintsJsonConverter))]
    public IReadOnlyDictionary<string, LabelConstraint> Constraints { get; init; } = new Dictionary<string, LabelConstraint>();
    /// <summary>The scorer to place with; null takes the silo's default.</summary>
    [Id(10)] public string? Scheduler { get; init; }
    /// <summary>Refused unless the silo's policy allows privileged containers.</summary>
    [Id(11)] public bool Privileged { get; init; }
    /// <summary>Host bind mounts; refused unless the silo's policy allows them.</summary>
    [Id(12)] public IReadOnlyList<MountSpec> Mounts { get; init; } = [];
    /// <summary>"bridge" (the default, null) or "host"; host is refused unless the policy allows it.</summary>
    [Id(13)] public string? Network { get; init; }
    /// <summary>Linux capabilities added to the container; refused unless the policy allows privileged.</summary>
    [Id(14)] public IReadOnlyList<string> CapAdd { get; init; } = [];
    /// <summary>How a change of the tasks rolls out; changing it alone replaces no replica.</summary>
    [Id(20)] public UpdateSpec Update { get; init; } = new();
    /// <summary>When a node pulls the image before it creates a container (<see cref="ImagePullPolicies"/>).</summary>
    [Id(21)] public string ImagePull { get; init; } = ImagePullPolicies.Missing;
    /// <summary>Secrets mounted as files under <c>/run/secrets</c>; by name only, the values stay in their grains.</summary>
    [Id(22)] public IReadOnlyList<SecretSpec> Secrets { get; init; } = [];
    /// <summary>A node label whose values the replicas are balanced across first, then across nodes; null: none.</summary>
    [Id(41)] public string? SpreadBy { get; init; }
    /// <summary>No two live replicas of the job on one node.</summary>
    [Id(42)] public bool DistinctNodes { get; init; }
    /// <summary><c>service</c> (runs until stopped) or <c>batch</c> (done when every replica ends Completed); see <see cref="JobTypes"/>.</summary>
    [Id(43)] public string Type { get; init; } = JobTypes.Service;
    /// <summary>How long a node waits after SIGTERM before it kills a container of this job that it stops.</summary>
    [Id(44)] public int StopGraceSeconds { get; init; } = SpecLimits.DefaultStopGraceSeconds;
    /// <summary>A cron expression (<see cref="CronSchedule"/>): the job runs no tasks itself but a child job each time it falls due; null: none.</summary>
    [Id(45)] public string? Schedule { get; init; }
    /// <summary>What a scheduled job does with a run that falls due while an earlier one runs (<see cref="ConcurrencyPolicies"/>); null: forbid.</summary>
    [Id(46)] public string? Concurrency { get; init; }

    /// <summary>True for a batch job: its replicas run to completion.</summary>
    [JsonIgnore]
    public bool IsBatch => Type == JobTypes.Batch;

    /// <summary>True for a scheduled job: its runs are child jobs, and it has no tasks of its own.</summary>
    [JsonIgnore]
    public bool IsScheduled => Schedule is not null;

    /// <summary>True when the job asks for anything the default policy forbids.</summary>
    [JsonIgnore]
    public bool RequestsElevatedRights => Privileged || Mounts.Count > 0 || Network == "host" || CapAdd.Count > 0;
}
