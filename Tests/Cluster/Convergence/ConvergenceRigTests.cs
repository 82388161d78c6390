using System.Globalization;
using Orchestrator.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>
/// The convergence property as a test: a seeded fault schedule on the three-engine rig while a workload runs,
/// then everything healed, then the cluster must converge within a bound and hold every invariant of
/// <see cref="ConvergenceChecker"/>. A failure prints the seed and its schedule; the same seed replays it.
/// </summary>
[Collection(FaultClusterRigTests.Name)]
public sealed class ConvergenceRigTests(ClusterRigFixture rig, ITestOutputHelper output)
{
    /// <summary>Two faults per seed in the default suite, whose seeds are picked for short schedules: about two minutes each.</summary>
    private const int DefaultSteps = 2;

    /// <summary>A machine dies (containers, then silo) and is back in 5 s; then every silo restarts at once.</summary>
    /// <remarks>
    /// Failed before the restart grace (<c>NodeLiveness</c>): after the restart of every silo a node was declared lost
    /// (its old silo entry dead) and the steady job's replicas there were replaced instead of adopted. With the grace,
    /// one run in two still found a replica of the steady job on a new container after the restart, and the seed was
    /// skipped. It passed four replays of four on 2 December 2026, after later fixes of the control loop; which of them
    /// ended it is not known, so it runs again by default to catch it should it come back.
    /// </remarks>
    [Fact]
    public Task Seed_22_a_machine_dies_then_every_silo_restarts() => AssertConvergesAsync(22);

    /// <summary>A machine dies for 12 s; then a fraction of grain calls and replies is lost or delayed for 17 s.</summary>
    [Fact]
    public Task Seed_5_a_machine_dies_then_grain_calls_are_lost() => AssertConvergesAsync(5);

    /// <summary>Many seeds, from <c>scripts/chaos.sh</c>: ORCH_CHAOS_SEEDS runs, from ORCH_CHAOS_SEED on, ORCH_CHAOS_STEPS faults each.</summary>
    [ChaosFact]
    public async Task Seeds_from_the_environment_converge()
    {
        var count = Number("ORCH_CHAOS_SEEDS") ?? 1;
        var first = Number("ORCH_CHAOS_SEED") ?? Environment.TickCount & 0xFFFF;
        var steps = Number("ORCH_CHAOS_STEPS") ?? 4;
        var report = Environment.GetEnvironmentVariable("ORCH_CHAOS_REPORT");
        var results = new List<ChaosResult>();
        foreach (var seed in Enumerable.Range(first, count))
        {
            var result = await ChaosRun.RunAsync(rig.Engines, seed, steps, output.WriteLine);
            results.Add(result);
            output.WriteLine(result.Describe());
            if (report is not null)
            {
                await File.WriteAllTextAsync(report, ChaosSummary.Describe(results));
            }
        }
        var summary = ChaosSummary.Describe(results);
        output.WriteLine(summary);
        Assert.True(results.All(r => r.Passed), summary);
    }

    private async Task AssertConvergesAsync(int seed)
    {
        var result = await ChaosRun.RunAsync(rig.Engines, seed, DefaultSteps, output.WriteLine);
        output.WriteLine(result.Describe());
        Assert.True(result.Passed, result.Describe());
    }

    private static int? Number(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : null;
}
