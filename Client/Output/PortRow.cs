namespace Orchestrator.Client.Output;

/// <summary>A published port in <c>--json</c> output.</summary>
internal sealed record PortRow(int Container, int Host);
