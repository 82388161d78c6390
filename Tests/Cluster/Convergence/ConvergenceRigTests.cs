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
[Collection(ClusterRigTests.Name)]
public sealed class ConvergenceRigTests(ClusterRigFixture rig, ITestOutputHelper output)
{
    /// <summary>Two faults per seed in the default suite: a seed takes about two minutes there.</summary>
    private const int DefaultSteps = 2;

    [Fact]
    public Task Seed_1_converges() => AssertConvergesAsync(1);

    [Fact]
    public Task Seed_2_converges() => AssertConvergesAsync(2);

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
