namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>How a command run inside a container ended, and what it printed (stdout then stderr).</summary>
public sealed record ExecResult(long ExitCode, string Output);
