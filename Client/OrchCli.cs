using System.CommandLine;
using System.CommandLine.Invocation;
using Orchestrator.Client.Commands;
using Orchestrator.Client.Output;

namespace Orchestrator.Client;

/// <summary>
/// The whole <c>orch</c> command line, callable in-process: parse, run one command, return its exit
/// code. Parse errors are one line on stderr and exit 2 (System.CommandLine's own default is 1).
/// </summary>
public static class OrchCli
{
    /// <summary>Runs <c>orch ARGS</c> writing plain (non-terminal) output to the given writers.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        RunAsync(args, new CliConsole(stdout, stderr, IsTerminal: false));

    internal static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var root = OrchRootCommand.Create(new CommandRunner(console, new GlobalOptions()));
        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            // An unknown verb also yields "Required command was not provided"; the unknown word says more.
            var error = parseResult.UnmatchedTokens.Count > 0
                ? $"unknown command or argument '{parseResult.UnmatchedTokens[0]}'"
                : parseResult.Errors[0].Message;
            console.WriteError($"{error} (see 'orch --help')");
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
