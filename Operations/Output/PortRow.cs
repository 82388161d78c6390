namespace Orchestrator.Operations.Output;

/// <summary>A published port in <c>--json</c> output.</summary>
public sealed record PortRow(int Container, int Host);
