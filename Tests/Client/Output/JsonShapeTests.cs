using System.Text.Json;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Output;
using Xunit;

namespace Orchestrator.Tests.Client.Output;

/// <summary>The <c>--json</c> shapes scripts rely on (docs/CONTRACT.md, Output shapes): exact property names, enums as names.</summary>
public sealed class JsonShapeTests
{
    private static readonly TaskInfo Task = new()
    {
        Id = "web-0-abc123",
        Job = "web",
        Slot = 0,
        State = TaskState.Running,
        Node = "node-a",
        ContainerId = "0123456789ab",
        Restarts = 2,
        Ports = [new PortBinding(Container: 8080, Host: 32768)],
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Reason = "container started",
    };

    [Fact]
    public void A_ps_row_has_the_contract_fields_with_the_state_by_name()
    {
        using var json = JsonDocument.Parse(JsonOutput.Serialize(new[] { TaskRow.From(Task) }));

        var row = Assert.Single(json.RootElement.EnumerateArray().ToList());
        var names = row.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["id", "job", "node", "state", "containerId", "restarts", "ports"], names.Take(7));
        Assert.Equal("web-0-abc123", row.GetProperty("id").GetString());
        Assert.Equal("web", row.GetProperty("job").GetString());
        Assert.Equal("node-a", row.GetProperty("node").GetString());
        Assert.Equal("Running", row.GetProperty("state").GetString());
        Assert.Equal("0123456789ab", row.GetProperty("containerId").GetString());
        Assert.Equal(2, row.GetProperty("restarts").GetInt32());
        var port = Assert.Single(row.GetProperty("ports").EnumerateArray().ToList());
        Assert.Equal(["container", "host"], port.EnumerateObject().Select(p => p.Name));
        Assert.Equal(8080, port.GetProperty("container").GetInt32());
        Assert.Equal(32768, port.GetProperty("host").GetInt32());
    }

    [Fact]
    public void A_pending_task_row_keeps_node_and_container_as_null()
    {
        var pending = Task with { State = TaskState.Pending, Node = null, ContainerId = null, Ports = [] };

        using var json = JsonDocument.Parse(JsonOutput.Serialize(TaskRow.From(pending)));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("node").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("containerId").ValueKind);
        Assert.Equal("Pending", json.RootElement.GetProperty("state").GetString());
        Assert.Empty(json.RootElement.GetProperty("ports").EnumerateArray());
    }

    [Fact]
    public void The_run_document_is_the_job_and_its_ps_rows()
    {
        using var json = JsonDocument.Parse(JsonOutput.Serialize(new RunDocument("web", [TaskRow.From(Task)])));

        Assert.Equal(["job", "tasks"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("web-0-abc123", json.RootElement.GetProperty("tasks")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void A_nodes_row_has_the_contract_fields_with_the_status_by_name()
    {
        var node = new NodeInfo
        {
            Name = "node-a",
            Status = NodeStatus.Draining,
            Cpus = 2,
            MemoryMb = 4096,
            AllocatedCpu = 0.5,
            AllocatedMemoryMb = 128,
            Tasks = 3,
            Labels = new Dictionary<string, string> { ["zone"] = "a" },
        };

        using var json = JsonDocument.Parse(JsonOutput.Serialize(NodeRow.From(node)));

        var root = json.RootElement;
        Assert.Equal(
            ["name", "status", "cpus", "memoryMb", "allocatedCpu", "allocatedMemoryMb", "tasks", "labels"],
            root.EnumerateObject().Select(p => p.Name).Take(8));
        Assert.Equal("Draining", root.GetProperty("status").GetString());
        Assert.Equal(0.5, root.GetProperty("allocatedCpu").GetDouble());
        Assert.Equal(128, root.GetProperty("allocatedMemoryMb").GetInt64());
        Assert.Equal("a", root.GetProperty("labels").GetProperty("zone").GetString());
    }

    [Fact]
    public void A_nodes_row_carries_the_stats_with_null_for_what_is_unknown()
    {
        var node = new NodeInfo { Name = "node-a", Stats = new NodeStats { MemoryTotalMb = 4096, Load1 = 0.25 } };

        using var json = JsonDocument.Parse(JsonOutput.Serialize(NodeRow.From(node)));

        var stats = json.RootElement.GetProperty("stats");
        Assert.Equal(["cpuPercent", "memoryUsedMb", "memoryTotalMb", "diskFreeMb", "load1"], stats.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("cpuPercent").ValueKind);
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("memoryUsedMb").ValueKind);
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("diskFreeMb").ValueKind);
        Assert.Equal(4096, stats.GetProperty("memoryTotalMb").GetInt64());
        Assert.Equal(0.25, stats.GetProperty("load1").GetDouble());
    }

    [Fact]
    public void The_plan_document_has_placements_and_unplaced_replicas_with_reasons()
    {
        var plan = new PlanResult
        {
            Job = "web",
            Placements =
            [
                new PlannedPlacement(0, "node-a", 0.75, new PlacementExplanation
                {
                    NodesEvaluated = 2,
                    Candidates = [new NodeScore("node-a", 0.75, new Dictionary<string, double> { ["replicas in zone=a"] = 0 })],
                    Rejections = [new NodeRejection("node-b", "replica already on node", "replica already on node: distinctNodes, and the node runs a replica of web")],
                }),
            ],
            Unplaced = [new UnplacedReplica(1, ["insufficient cpu: need 4, free 1.5"])],
        };

        using var json = JsonDocument.Parse(JsonOutput.Serialize(PlanDocument.From(plan)));

        var root = json.RootElement;
        Assert.Equal(["job", "placements", "unplaced"], root.EnumerateObject().Select(p => p.Name));
        var placement = root.GetProperty("placements")[0];
        Assert.Equal(["replica", "node", "score"], placement.EnumerateObject().Select(p => p.Name).Take(3));
        Assert.Equal("node-a", placement.GetProperty("node").GetString());
        Assert.Equal(0.75, placement.GetProperty("score").GetDouble());
        Assert.Equal(0, placement.GetProperty("parts").GetProperty("replicas in zone=a").GetDouble());
        Assert.Equal("node-b: replica already on node: distinctNodes, and the node runs a replica of web", placement.GetProperty("refused")[0].GetString());
        var unplaced = root.GetProperty("unplaced")[0];
        Assert.Equal(["replica", "reasons"], unplaced.EnumerateObject().Select(p => p.Name));
        Assert.Equal("insufficient cpu: need 4, free 1.5", unplaced.GetProperty("reasons")[0].GetString());
    }

    [Fact]
    public void An_inspected_task_is_camel_case_with_enums_by_name()
    {
        var task = Task with { Events = [new TaskEvent(Task.CreatedAt, null, TaskState.Pending, "created")] };

        using var json = JsonDocument.Parse(JsonOutput.Serialize(task));

        var e = json.RootElement.GetProperty("events")[0];
        Assert.Equal("Pending", e.GetProperty("to").GetString());
        Assert.Equal(JsonValueKind.Null, e.GetProperty("from").ValueKind);
        Assert.Equal("Running", json.RootElement.GetProperty("state").GetString());
    }
}
