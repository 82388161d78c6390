using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Operations.Discovery;
using Orchestrator.Operations.Output;
using Xunit;

namespace Orchestrator.Tests.Discovery;

/// <summary>Tasks and nodes → the endpoints <c>orch endpoints</c>, the API and the DNS answer, as a table.</summary>
public sealed class EndpointSetTests
{
    private static readonly NodeInfo NodeA = new() { Name = "a", Address = "10.0.0.1" };
    private static readonly NodeInfo NodeB = new() { Name = "b", Address = "10.0.0.2" };

    private static TaskInfo Task(string id, string? node = "a", TaskState state = TaskState.Running, HealthStatus? health = null, string? checkedContainer = "c", params (int Container, int Host)[] ports) => new()
    {
        Id = id,
        Job = "web",
        State = state,
        Node = node,
        ContainerId = "c",
        Ports = ports.Length == 0 ? [new PortBinding(8080, 40001)] : [.. ports.Select(p => new PortBinding(p.Container, p.Host))],
        Health = health is { } status ? new TaskHealth { Status = status, ContainerId = checkedContainer } : null,
    };

    private static EndpointRow Row(string task, string node = "a", string address = "10.0.0.1", int port = 40001, int containerPort = 8080, bool healthy = true) =>
        new(task, node, address, port, containerPort, healthy);

    public static TheoryData<string, TaskInfo[], NodeInfo[], EndpointRow[]> Cases => new()
    {
        // because, tasks, nodes, endpoints
        { "a running task without a health check is healthy", [Task("web-0-aaaaaa")], [NodeA], [Row("web-0-aaaaaa")] },
        { "a running task whose check has not answered yet is healthy", [Task("web-0-aaaaaa", health: HealthStatus.Unknown)], [NodeA], [Row("web-0-aaaaaa")] },
        { "a running task whose check passes is healthy", [Task("web-0-aaaaaa", health: HealthStatus.Healthy)], [NodeA], [Row("web-0-aaaaaa")] },
        { "a failing check makes it unhealthy", [Task("web-0-aaaaaa", health: HealthStatus.Failing)], [NodeA], [Row("web-0-aaaaaa", healthy: false)] },
        { "an unhealthy verdict makes it unhealthy", [Task("web-0-aaaaaa", health: HealthStatus.Unhealthy)], [NodeA], [Row("web-0-aaaaaa", healthy: false)] },
        { "a verdict on an earlier container does not count", [Task("web-0-aaaaaa", health: HealthStatus.Unhealthy, checkedContainer: "old")], [NodeA], [Row("web-0-aaaaaa")] },
        { "a task on a Down node is unhealthy", [Task("web-0-aaaaaa")], [NodeA with { Status = NodeStatus.Down }], [Row("web-0-aaaaaa", healthy: false)] },
        { "a task on a draining node still serves", [Task("web-0-aaaaaa")], [NodeA with { Status = NodeStatus.Draining }], [Row("web-0-aaaaaa")] },
        { "tasks not running have no endpoint", [Task("web-0-aaaaaa", state: TaskState.Scheduled), Task("web-1-bbbbbb", state: TaskState.Failed), Task("web-2-cccccc", state: TaskState.Pending, node: null)], [NodeA], [] },
        { "a task on a node the directory does not know has none", [Task("web-0-aaaaaa", node: "gone")], [NodeA], [] },
        { "a task on a node that reports no address has none", [Task("web-0-aaaaaa")], [NodeA with { Address = null }], [] },
        { "a task without published ports has none", [Task("web-0-aaaaaa") with { Ports = [] }], [NodeA], [] },
        {
            "one row per published port, by task then container port, each at its node's address",
            [Task("web-1-bbbbbb", node: "b", ports: [(9090, 40003), (8080, 40002)]), Task("web-0-aaaaaa")],
            [NodeA, NodeB],
            [Row("web-0-aaaaaa"), Row("web-1-bbbbbb", "b", "10.0.0.2", 40002), Row("web-1-bbbbbb", "b", "10.0.0.2", 40003, 9090)]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lists_the_published_ports_of_running_tasks(string because, TaskInfo[] tasks, NodeInfo[] nodes, EndpointRow[] expected)
    {
        var endpoints = EndpointSet.Of(tasks, nodes);

        Assert.True(endpoints.SequenceEqual(expected), $"{because}: got [{string.Join(", ", endpoints)}]");
    }
}
