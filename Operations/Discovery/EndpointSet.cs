using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Output;

namespace Orchestrator.Operations.Discovery;

/// <summary>
/// Where a job's replicas can be reached, worked out from its tasks and the nodes: what <c>orch endpoints</c>, the API
/// and the silos' DNS answer. Pure, so every caller answers the same for the same cluster.
/// </summary>
public static class EndpointSet
{
    /// <summary>
    /// One row per published port of every Running task whose node the directory knows with an address, by task id
    /// then container port. A row is healthy while its task runs, its node is not Down and no health check of its
    /// current container says otherwise (Failing or Unhealthy); a task without a health check, or whose check has not
    /// answered yet, is healthy while it runs. A task whose node is lost stays listed, unhealthy, until its job ends it.
    /// </summary>
    public static IReadOnlyList<EndpointRow> Of(IEnumerable<TaskInfo> tasks, IEnumerable<NodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(nodes);
        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        return [.. tasks
            .Where(t => t.State == TaskState.Running && t.Node is not null)
            .SelectMany(t => byName.TryGetValue(t.Node!, out var node) && node.Address is { Length: > 0 } address
                ? t.Ports.Select(p => new EndpointRow(t.Id, node.Name, address, p.Host, p.Container, Healthy(t, node)))
                : [])
            .OrderBy(e => e.Task, StringComparer.Ordinal)
            .ThenBy(e => e.ContainerPort)];
    }

    private static bool Healthy(TaskInfo task, NodeInfo node) =>
        node.Status != NodeStatus.Down
        && (task.Health is not { Status: HealthStatus.Failing or HealthStatus.Unhealthy } health
            || health.ContainerId != task.ContainerId);
}
