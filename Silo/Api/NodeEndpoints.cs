using Orchestrator.Abstractions.Nodes;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;
using Orchestrator.Silo.Auth;

namespace Orchestrator.Silo.Api;

/// <summary>Nodes: the rows of <c>orch nodes --json</c>, and <c>orch drain</c> and <c>orch uncordon</c>.</summary>
internal static class NodeEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/nodes").WithTags("nodes");
        nodes.MapGet("/", ListAsync)
            .WithName("listNodes").WithSummary("Every node with its status, capacity, allocation, task count, labels and measured load (orch nodes).")
            .Produces<IReadOnlyList<NodeRow>>();
        nodes.MapGet("/{name}", GetAsync)
            .WithName("getNode").WithSummary("One node, as orch nodes shows it.")
            .Produces<NodeRow>().ProducesNotFound();
        nodes.MapPost("/{name}/drain", DrainAsync)
            .WithName("drainNode").WithSummary("Marks the node Draining: nothing new is placed there and its tasks move, each replaced elsewhere before it stops; those left at the deadline (deadlineSeconds, default 3600; 0 stops all at once) are stopped then (orch drain).")
            .RequireAuthorization(ApiRoles.Operate)
            .Produces<NodeRow>().ProducesNotFound();
        nodes.MapPost("/{name}/uncordon", (string name, IGrainFactory grains) => ChangeAsync(name, grains, node => node.UncordonAsync()))
            .WithName("uncordonNode").WithSummary("Marks a drained node Ready again (orch uncordon).")
            .RequireAuthorization(ApiRoles.Operate)
            .Produces<NodeRow>().ProducesNotFound();
    }

    private static async Task<IResult> ListAsync(IGrainFactory grains) =>
        Results.Ok((await ClusterReader.ListNodesAsync(grains)).Select(NodeRow.From).ToList());

    private static async Task<IResult> GetAsync(string name, IGrainFactory grains) =>
        Results.Ok(NodeRow.From(await ClusterReader.GetNodeAsync(grains, name)));

    private static Task<IResult> DrainAsync(string name, IGrainFactory grains, string? deadlineSeconds)
    {
        var seconds = ApiQuery.Seconds(deadlineSeconds, nameof(deadlineSeconds)) ?? (int)INodeGrain.DefaultDrainDeadline.TotalSeconds;
        return ChangeAsync(name, grains, node => node.DrainAsync(TimeSpan.FromSeconds(seconds)));
    }

    private static async Task<IResult> ChangeAsync(string name, IGrainFactory grains, Func<INodeGrain, Task> change) =>
        Results.Ok(NodeRow.From(await ClusterActions.ChangeNodeAsync(grains, name, change)));
}
