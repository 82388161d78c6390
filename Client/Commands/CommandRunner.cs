using System.CommandLine;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Client.Connection;
using Orchestrator.Client.Output;

namespace Orchestrator.Client.Commands;

/// <summary>
/// Runs a command's action and turns every way it can end into an exit code and, on failure, one
/// line on stderr: no stack traces reach the user.
/// </summary>
internal sealed class CommandRunner(CliConsole console, GlobalOptions options)
{
    public GlobalOptions Options { get; } = options;

    public void Bind(Command command, Func<CommandContext, ParseResult, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, action, cancellationToken));
    }

    private async Task<int> RunAsync(ParseResult parseResult, Func<CommandContext, ParseResult, Task<int>> action, CancellationToken cancellationToken)
    {
        try
        {
            var gateways = await GatewayAddresses.ResolveAsync(
                parseResult.GetValue(Options.Gateway) ?? [],
                Environment.GetEnvironmentVariable(GatewayAddresses.Variable),
                cancellationToken).ConfigureAwait(false);
            var tls = ClientTls.Load(
                parseResult.GetValue(Options.TlsCertificate),
                parseResult.GetValue(Options.TlsKey),
                parseResult.GetValue(Options.TlsCa));
            var context = new CommandContext(console, parseResult.GetValue(Options.Json), gateways, ClusterIdentity.FromEnvironment(), tls, cancellationToken);
            return await action(context, parseResult).ConfigureAwait(false);
        }
        catch (CommandFailedException e)
        {
            console.WriteError(e.Message);
            return e.ExitCode;
        }
        catch (JobSpecException e)
        {
            // Refused by the client's own check or, with the silo's policy and capacity, by the silo.
            console.WriteError(e.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.WriteError("cancelled");
            return ExitCodes.Failed;
        }
#pragma warning disable CA1031 // Whatever the cluster throws becomes one line and exit 1, never a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            console.WriteError($"{e.GetType().Name}: {FirstLine(e.Message)}");
            return ExitCodes.Failed;
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
