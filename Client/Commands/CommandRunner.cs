using System.CommandLine;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Secrets;
using Orchestrator.Client.Connection;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Failures;

namespace Orchestrator.Client.Commands;

/// <summary>
/// Runs a command's action and turns every way it can end into an exit code and, on failure, one
/// line on stderr: no stack traces reach the user. The action reaches the cluster through its
/// <see cref="CommandContext"/>, which retries what fails on the way (see <see cref="RetryPolicy"/>).
/// </summary>
internal sealed class CommandRunner(CliConsole console, GlobalOptions options)
{
    public GlobalOptions Options { get; } = options;

    /// <param name="command">The command to run <paramref name="action"/> for.</param>
    /// <param name="action">What the command does; its exit code.</param>
    /// <param name="retryBudget">How long the command keeps retrying a cluster that fails on the way, from its options; else <see cref="RetryPolicy.DefaultBudget"/>.</param>
    public void Bind(Command command, Func<CommandContext, ParseResult, Task<int>> action, Func<ParseResult, TimeSpan>? retryBudget = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, action, retryBudget?.Invoke(parseResult) ?? RetryPolicy.DefaultBudget, cancellationToken));
    }

    private async Task<int> RunAsync(ParseResult parseResult, Func<CommandContext, ParseResult, Task<int>> action, TimeSpan retryBudget, CancellationToken cancellationToken)
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
            await using var context = new CommandContext(console, parseResult.GetValue(Options.Json), gateways, ClusterIdentity.FromEnvironment(), tls, retryBudget, cancellationToken);
            return await action(context, parseResult).ConfigureAwait(false);
        }
        catch (CommandFailedException e)
        {
            console.WriteError(e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is JobSpecException or InvalidSecretException)
        {
            // Refused by the client's own check or, with the silo's policy and capacity, by the silo.
            console.WriteError(e.Message);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is NotFoundException or ConflictException)
        {
            console.WriteError(e.Message);
            return ExitCodes.Failed;
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
            // The message says what failed; the exception's type is the cluster's business, not the user's. Orleans
            // wraps what a grain's storage or node said in its own exceptions: the innermost of ours says it best.
            console.WriteError(ClusterFailures.FirstLine(ClusterFailures.OwnCause(e)?.Message ?? e.Message));
            return ExitCodes.Failed;
        }
    }
}
