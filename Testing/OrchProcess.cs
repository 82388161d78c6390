using System.Diagnostics;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>Runs the real <c>orch</c> client as a process, as a user would.</summary>
internal static class OrchCli
{
    /// <summary>
    /// How long a command may take before the test calls it hung: beyond the longest budget a command gives itself
    /// without a <c>--timeout</c> (<c>run</c>'s 120 s, which its retries of an unreachable cluster may use whole).
    /// </summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public static Task<ProcessResult> RunAsync(IEnumerable<string> args, int gatewayPort, string clusterId = "orchestrator", TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(args, [gatewayPort], clusterId, timeout, environment);

    /// <summary>
    /// Runs orch against several gateways (ORCH_GATEWAYS), as a user of a multi-silo cluster would, with
    /// <paramref name="environment"/> added to its variables (an empty value unsets one this process has).
    /// </summary>
    public static async Task<ProcessResult> RunAsync(IEnumerable<string> args, IReadOnlyList<int> gatewayPorts, string clusterId, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(args, gatewayPorts, clusterId, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start orch");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"orch {string.Join(' ', start.ArgumentList.Skip(1))} did not finish in time");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How to start orch with these arguments against these gateways, its output redirected; for a command that runs until stopped.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyList<int> gatewayPorts, string clusterId, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoPaths.OrchDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ORCH_GATEWAYS"] = string.Join(',', gatewayPorts.Select(p => $"127.0.0.1:{p}"));
        start.Environment["ORCH_CLUSTER_ID"] = clusterId;
        start.Environment["ORCH_SERVICE_ID"] = clusterId;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value.Length == 0 ? null : value;
        }
        return start;
    }
}
