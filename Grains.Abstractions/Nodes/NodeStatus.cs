namespace Orchestrator.Abstractions.Nodes;

/// <summary>Ready takes new tasks; Draining moves its tasks off and takes none; Down is lost.</summary>
public enum NodeStatus
{
    Ready,
    Draining,
    Down,
}
