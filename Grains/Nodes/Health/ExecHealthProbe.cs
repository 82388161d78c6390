using System.Globalization;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes.Health;

/// <summary><c>health.exec</c>: runs the command inside the container through the engine; exit 0 within the timeout is healthy.</summary>
public sealed class ExecHealthProbe(IContainerRuntime runtime, string containerId, IReadOnlyList<string> command, TimeSpan timeout) : IHealthProbe
{
    private const int MaxOutput = 200;

    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(command);
        var what = "exec " + string.Join(' ', command);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var result = await runtime.ExecAsync(containerId, command, limit.Token).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                return ProbeResult.Pass;
            }
            var output = result.Output.Trim();
            var said = output.Length == 0 ? "" : $": {(output.Length > MaxOutput ? output[..MaxOutput] + "…" : output)}";
            return ProbeResult.Fail(string.Create(CultureInfo.InvariantCulture, $"{what} exited with code {result.ExitCode}{said}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail(string.Create(CultureInfo.InvariantCulture, $"{what} did not finish within {timeout.TotalSeconds:0.###}s"));
        }
        catch (ContainerRuntimeException e)
        {
            return ProbeResult.Fail($"{what} could not run: {e.Message}");
        }
    }
}
