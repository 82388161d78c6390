using System.Diagnostics;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// A long test's notes on its xunit output: when each step ended, so that a slow run shows where its time went, and,
/// when it fails, the end of every silo's log.
/// </summary>
internal sealed class StepLog(ITestOutputHelper output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Time since the test began.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public void Step(string what) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:0.0} s] {what}");

    public void WriteLine(string line) => output.WriteLine(line);

    /// <summary>Runs <paramref name="body"/>; when it fails, writes the last 200 lines of each silo's log, then lets the failure go on.</summary>
    public async Task WithSiloLogsOnFailureAsync(RigCluster cluster, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            output.WriteLine(cluster.SiloLogs(200));
            throw;
        }
    }
}
