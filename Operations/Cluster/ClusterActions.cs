using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Operations.Cluster;

/// <summary>
/// What <c>orch</c> and the HTTP API ask of the cluster besides reading it, with the same checks and messages for
/// both. Each is safe to repeat: a retry of a change that did arrive changes nothing more.
/// </summary>
public static class ClusterActions
{
    /// <summary>Why <paramref name="replicas"/> cannot be a replica count (as <c>orch scale</c> reports it), or null when it can.</summary>
    public static SpecError? ReplicaCountError(int replicas) =>
        replicas is < 0 or > SpecLimits.MaxReplicas
            ? new SpecError("replicas", $"must be an integer from 0 to {SpecLimits.MaxReplicas} (got {replicas})")
            : null;

    /// <summary>Sets an existing job's replica count.</summary>
    public static async Task<JobInfo> ScaleAsync(IGrainFactory grains, string name, int replicas)
    {
        await ClusterReader.GetJobAsync(grains, name).ConfigureAwait(false);
        return await grains.GetJob(name).ScaleAsync(replicas).ConfigureAwait(false);
    }

    /// <summary>Rolls an existing job back to the spec of <paramref name="version"/> (null: the version before the latest), as a new version.</summary>
    public static async Task<JobInfo> RollbackAsync(IGrainFactory grains, string name, int? version)
    {
        await ClusterReader.GetJobAsync(grains, name).ConfigureAwait(false);
        return await grains.GetJob(name).RollbackAsync(version).ConfigureAwait(false);
    }

    /// <summary>Stops every task of an existing job.</summary>
    public static async Task<JobInfo> StopAsync(IGrainFactory grains, string name)
    {
        await ClusterReader.GetJobAsync(grains, name).ConfigureAwait(false);
        return await grains.GetJob(name).StopAsync().ConfigureAwait(false);
    }

    /// <summary>Makes <paramref name="change"/> (drain, uncordon) to an existing node and returns the node as it is then.</summary>
    public static async Task<NodeInfo> ChangeNodeAsync(IGrainFactory grains, string name, Func<INodeGrain, Task> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        await ClusterReader.GetNodeAsync(grains, name).ConfigureAwait(false);
        var node = grains.GetNode(name);
        await change(node).ConfigureAwait(false);
        return await node.GetInfoAsync().ConfigureAwait(false);
    }
}
