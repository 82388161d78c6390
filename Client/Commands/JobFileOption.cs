using System.CommandLine;

namespace Orchestrator.Client.Commands;

/// <summary>The <c>-f FILE</c> option of <c>run</c> and <c>plan</c>.</summary>
internal static class JobFileOption
{
    public static Option<string> Create() => new("--file", "-f")
    {
        Description = "The job file: JSON with name, image and optionally command, env, replicas, resources, ports, restart, health, constraints, scheduler.",
        HelpName = "FILE",
        Required = true,
    };
}
