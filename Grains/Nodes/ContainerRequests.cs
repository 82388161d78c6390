using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes;

/// <summary>The labels that mark a node's containers and the engine request that creates a task's container.</summary>
public static class ContainerRequests
{
    /// <summary>The labels every container of <paramref name="node"/> in <paramref name="clusterId"/> carries.</summary>
    public static Dictionary<string, string> OwnLabels(string clusterId, string node) => new(StringComparer.Ordinal)
    {
        [ContainerLabels.Cluster] = clusterId,
        [ContainerLabels.Node] = node,
    };

    /// <summary>The labels of one task's containers on <paramref name="node"/>.</summary>
    public static Dictionary<string, string> TaskLabels(string clusterId, string node, string taskId) =>
        new(OwnLabels(clusterId, node), StringComparer.Ordinal) { [ContainerLabels.Task] = taskId };

    /// <summary>The name of every container of <paramref name="taskId"/> (one at a time).</summary>
    public static string ContainerName(string clusterId, string taskId) => $"orch-{clusterId}-{taskId}";

    /// <summary>The variables every task's container is given: where it runs and what it is. They take precedence over the job's own <c>env</c>.</summary>
    public static IReadOnlyDictionary<string, string> WithOwnEnv(IReadOnlyDictionary<string, string> env, string node, string taskId, string job)
    {
        ArgumentNullException.ThrowIfNull(env);
        return new Dictionary<string, string>(env, StringComparer.Ordinal)
        {
            [TaskEnvironment.Node] = node,
            [TaskEnvironment.TaskId] = taskId,
            [TaskEnvironment.Job] = job,
        };
    }

    /// <summary>
    /// The container of <paramref name="taskId"/> of <paramref name="job"/> as <paramref name="spec"/> describes it, with
    /// the values of its secrets (<paramref name="secrets"/>, opened by the node for this start only).
    /// </summary>
    public static ContainerCreateRequest Create(string clusterId, string node, string taskId, string job, JobSpec spec, string portHost, IReadOnlyList<SecretFile> secrets)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var labels = TaskLabels(clusterId, node, taskId);
        labels[ContainerLabels.Job] = job;
        return new ContainerCreateRequest
        {
            Name = ContainerName(clusterId, taskId),
            Image = spec.Image,
            Command = spec.Command,
            Env = WithOwnEnv(spec.Env, node, taskId, job),
            Labels = labels,
            Cpus = spec.Resources.Cpu,
            MemoryBytes = spec.Resources.MemoryMb * 1024 * 1024,
            Ports = spec.Ports.Select(p => new PortMapping(p.Container, p.Host)).ToArray(),
            PortHost = portHost,
            Privileged = spec.Privileged,
            CapAdd = spec.CapAdd,
            Binds = spec.Mounts.Select(m => m.ReadOnly ? $"{m.Source}:{m.Target}:ro" : $"{m.Source}:{m.Target}").ToArray(),
            NetworkMode = spec.Network,
            Secrets = secrets,
        };
    }
}
