using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Client.Output;

/// <summary>One piece of a container's output as <c>orch logs --json</c> prints it: one object per line.</summary>
internal sealed record LogRow(LogSource Stream, string Text);
