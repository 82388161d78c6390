using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// What this silo's nodes read of the <c>Orchestrator</c> configuration section (docs/CONTRACT.md, Silo configuration):
/// the machine, its engine, its policy and how nodes are watched. Checked by <see cref="NodeOptionsValidator"/>.
/// </summary>
public sealed class NodeOptions
{
    public const string Section = "Orchestrator";

    /// <summary>This machine's node; its node grain lives only on this silo.</summary>
    public string NodeName { get; set; } = Environment.MachineName.ToLowerInvariant();

    public string DockerEndpoint { get; set; } = "unix:///var/run/docker.sock";

    public ContainerRuntimeKind Runtime { get; set; } = ContainerRuntimeKind.Docker;

    /// <summary>With the simulated runtime, how many nodes this silo hosts (see <c>NodeNames</c>); 1 otherwise.</summary>
    public int SimulatedNodes { get; set; } = 1;

    public Dictionary<string, string> NodeLabels { get; set; } = [];

    /// <summary>
    /// The address container ports are published on and health checks use; the silo sets it to its advertised address
    /// (<c>Orleans:AdvertisedIP</c>) unless configured.
    /// </summary>
    public string PortHost { get; set; } = "127.0.0.1";

    /// <summary>Checked by each node before it runs anything, and by each job before it accepts a spec.</summary>
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
    /// A folder on a tmpfs of this machine where a node writes the secrets of the tasks it runs, each task's bind-mounted
    /// read-only at <c>/run/secrets</c>, and deletes them when the container stops. The engine must see the same path.
    /// </summary>
    public string SecretsMountRoot { get; set; } = "/dev/shm/orch-secrets";

    /// <summary>The policy as the validator takes it.</summary>
    public ExecutionPolicy ExecutionPolicy => new()
    {
        AllowPrivileged = Policy.AllowPrivileged,
        AllowHostMounts = Policy.AllowHostMounts,
        AllowHostNetwork = Policy.AllowHostNetwork,
    };
}
