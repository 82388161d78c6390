using System.CommandLine;
using Orchestrator.Client.Connection;

namespace Orchestrator.Client.Commands;

/// <summary>The options every command takes (declared once on the root, recursive).</summary>
internal sealed class GlobalOptions
{
    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print machine-readable JSON on stdout and nothing else there.",
        Recursive = true,
    };

    public Option<string[]> Gateway { get; } = new("--gateway")
    {
        Description = $"A silo gateway as HOST:PORT; repeat for several (the client fails over between them). Default: ${GatewayAddresses.Variable} (comma-separated), else {GatewayAddresses.Default}.",
        HelpName = "HOST:PORT",
        Recursive = true,
        Arity = ArgumentArity.OneOrMore,
    };
}
