using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Hosting;

/// <summary>The silo's <c>Orchestrator</c> configuration section (docs/CONTRACT.md, Silo configuration).</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Orchestrator";

    /// <summary>This machine's node; its node grain lives only on this silo.</summary>
    public string NodeName { get; set; } = Environment.MachineName.ToLowerInvariant();

    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    /// <summary><c>docker</c> (default) or <c>simulated</c> (starts nothing; for benchmarks and tests).</summary>
    public string Runtime { get; set; } = "docker";

    /// <summary>With the simulated runtime, how many nodes this silo hosts (see <c>NodeNames</c>); 1 otherwise.</summary>
    public int SimulatedNodes { get; set; } = 1;

    public Dictionary<string, string> NodeLabels { get; set; } = [];

    /// <summary>
    /// The address container ports are published on and health checks use; the silo sets it to its advertised address
    /// (<c>Orleans:AdvertisedIP</c>) unless configured.
    /// </summary>
    public string PortHost { get; set; } = "127.0.0.1";

    public string DefaultScheduler { get; set; } = SchedulerNames.Epvm;

    public PolicyOptions Policy { get; set; } = new();

    /// <summary>How often a node lists its containers to catch exits and strays.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after its last heartbeat a node counts as Down.</summary>
    public TimeSpan NodeDownAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long a silo must have been Active before it declares any node lost (see <c>NodeLiveness</c>). After a
    /// whole-cluster restart every silo is younger than this, so the silos coming back are not declared lost
    /// before they return and every container still running is adopted; in a steady cluster the older survivors
    /// act at once. A minute, like the time <c>docker compose restart</c> or a power cut takes to bring machines back.
    /// </summary>
    public TimeSpan NodeRestartGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the node-loss detector re-reads membership, and each active job checks the nodes of its tasks
    /// against it, besides acting on every membership change: a loss notice may be lost, this check is not.
    /// </summary>
    public TimeSpan NodeLossCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a node's pull of one image may take. Not bound by the start's own deadline (25 s): the pull runs in
    /// the background while its tasks wait, so a large image on a slow link is not mistaken for a hung engine.
    /// </summary>
    public TimeSpan ImagePullTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A Docker <c>config.json</c> whose <c>auths</c> give registry credentials to pulls; null takes
    /// <c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c> when present.
    /// </summary>
    public string? RegistryAuthFile { get; set; }

    /// <summary>
    /// The cluster key that encrypts secrets at rest: a file of 32 random bytes, raw or base64, the same on every silo.
    /// Null turns secrets off: secret commands and jobs that use secrets are refused.
    /// </summary>
    public string? SecretsKeyFile { get; set; }

    /// <summary>
    /// A folder on a tmpfs of this machine where a node writes the secrets of the tasks it runs, each task's bind-mounted
    /// read-only at <c>/run/secrets</c>, and deletes them when the container stops. The engine must see the same path.
    /// </summary>
    public string SecretsMountRoot { get; set; } = "/dev/shm/orch-secrets";

    /// <summary>How often a Pending task tries placement again.</summary>
    public TimeSpan PlacementRetry { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long an ended task stays visible (<c>orch ps --all</c>, <c>inspect</c>, <c>logs</c>) after it gave up
    /// its replica slot, and a stopped job after its stop, before their stored state is deleted. An hour, like
    /// Nomad's evaluation GC and the span people usually give Kubernetes' <c>ttlSecondsAfterFinished</c>: long
    /// enough to read a crash's events and logs afterwards, short enough that a cluster churning jobs all day
    /// does not keep every task it ever ran.
    /// </summary>
    public TimeSpan TaskRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The period of each job's reminder, which reconciles the job and prunes what outlived <see cref="TaskRetention"/>.
    /// Orleans refuses reminder periods under a minute unless <c>ReminderOptions.MinimumReminderPeriod</c> is lowered, as tests do.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a job whose latest version is rolling out re-reads its tasks' state and health and takes the next
    /// step: tasks do not tell their job when they turn Running or Healthy, so the job looks, but only while it rolls.
    /// </summary>
    public TimeSpan RolloutCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a Running task asks its node what it sees of the task, besides the node's own reports: a node that no
    /// longer holds the task's reservation (a failover left it believing no live task claimed it) reports nothing more
    /// of the task, so only the task's question finds that out. Each task starts at a random point of the interval.
    /// </summary>
    public TimeSpan RunningCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The policy as the validator takes it.</summary>
    public ExecutionPolicy ExecutionPolicy => new()
    {
        AllowPrivileged = Policy.AllowPrivileged,
        AllowHostMounts = Policy.AllowHostMounts,
        AllowHostNetwork = Policy.AllowHostNetwork,
    };
}
