namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>A container port and the host port it is (or should be) published on; 0 = any.</summary>
public sealed record PortMapping(int Container, int Host);
