using System.Globalization;
using System.Text;

namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>The report of many seeded runs: seeds, faults by kind, time to converge, violations by seed.</summary>
public static class ChaosSummary
{
    public static string Describe(IReadOnlyList<ChaosResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"seeds run: {results.Count} ({string.Join(", ", results.Select(r => r.Seed))})"));
        var faults = results.SelectMany(r => r.Schedule).GroupBy(s => s.Kind).OrderBy(g => g.Key);
        text.AppendLine($"faults injected: {string.Join(", ", faults.Select(g => $"{g.Key} {g.Count()}"))}");
        var times = results.Where(r => r.TimeToConverge is not null).Select(r => r.TimeToConverge!.Value.TotalSeconds).Order().ToList();
        text.AppendLine(times.Count == 0
            ? "time to converge after healing: none converged"
            : string.Create(CultureInfo.InvariantCulture,
                $"time to converge after healing: p50 {Percentile(times, 0.5):0.0} s, p99 {Percentile(times, 0.99):0.0} s, max {times[^1]:0.0} s ({times.Count} of {results.Count} converged within {ChaosRun.ConvergeBound.TotalSeconds:0} s)"));
        var failed = results.Where(r => !r.Passed).ToList();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"violations found: {failed.Sum(r => r.Violations.Count)} in {failed.Count} of {results.Count} seeds"));
        foreach (var result in failed)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  seed {result.Seed} [{string.Join("; ", result.Schedule)}]"));
            foreach (var violation in result.Violations)
            {
                text.AppendLine("    " + violation);
            }
        }
        return text.ToString();
    }

    /// <summary>Nearest rank on sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
