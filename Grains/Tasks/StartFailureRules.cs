using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Tasks;

/// <summary>What the failure of a node's <c>RunAsync</c> tells a task about its container, as a pure function.</summary>
public static class StartFailureRules
{
    /// <param name="failure">What the call threw.</param>
    /// <param name="nodeLost">Whether the node is lost by the cluster's one rule (<see cref="Nodes.NodeLiveness"/>).</param>
    /// <returns>What the failure means; null for a cancellation, which is not the start's to answer.</returns>
    public static StartFailure? Decide(Exception failure, bool nodeLost) => failure switch
    {
        ContainerEngineException or JobSpecException => StartFailure.Refused,
        // The node dropped the claim of the start (its engine does not answer) or holds none.
        EngineUnavailableException or InvalidOperationException => StartFailure.NodeFailed,
        OperationCanceledException => null,
        _ when nodeLost => StartFailure.NodeFailed,
        _ => StartFailure.AnswerLost,
    };
}
