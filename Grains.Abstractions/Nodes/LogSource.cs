namespace Orchestrator.Abstractions.Nodes;

/// <summary>Which of a container's output streams a piece of its log came from.</summary>
public enum LogSource
{
    Stdout,
    Stderr,
}
