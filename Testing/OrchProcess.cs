using System.Diagnostics;

namespace Orchestrator.Testing;

/// <summary>Runs the real <c>orch</c> client as a process, as a user would.</summary>
internal static class OrchProcess
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
    public static Task<ProcessResult> RunAsync(IEnumerable<string> args, IReadOnlyList<int> gatewayPorts, string clusterId, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null) =>
        HostCommand.RunAsync(StartInfo(args, gatewayPorts, clusterId, environment), timeout ?? DefaultTimeout);

    /// <summary>How to start orch with these arguments against these gateways, its output redirected; for a command that runs until stopped.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyList<int> gatewayPorts, string clusterId, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = HostCommand.StartInfo("dotnet", [RepoPaths.OrchDll, .. args]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
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
