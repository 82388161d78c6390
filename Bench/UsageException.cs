namespace Orchestrator.Bench;

/// <summary>Bad usage: the command line or the environment is not what a scenario needs (exit 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
