using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Operations.Output;

/// <summary>One piece of a container's output as <c>orch logs --json</c> prints it: one object per line.</summary>
public sealed record LogRow(LogSource Stream, string Text);
