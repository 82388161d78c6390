using System.Globalization;
using System.Text;

namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>What one seeded run did and found: enough to replay it (seed, schedule) and to summarise many runs.</summary>
public sealed record ChaosResult(
    int Seed,
    IReadOnlyList<FaultStep> Schedule,
    IReadOnlyList<string> Timeline,
    TimeSpan? TimeToConverge,
    TimeSpan Duration,
    IReadOnlyList<Violation> Violations)
{
    public bool Passed => Violations.Count == 0;

    /// <summary>The seed, the schedule as drawn, what happened when, and every violation.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(FaultSchedule.Describe(Seed, Schedule));
        text.AppendLine("timeline:");
        foreach (var line in Timeline)
        {
            text.AppendLine("  " + line);
        }
        text.AppendLine(TimeToConverge is { } converged
            ? string.Create(CultureInfo.InvariantCulture, $"converged {converged.TotalSeconds:0.0} s after healing; run took {Duration.TotalSeconds:0} s")
            : string.Create(CultureInfo.InvariantCulture, $"did not converge; run took {Duration.TotalSeconds:0} s"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{Violations.Count} violations{(Violations.Count == 0 ? "" : ":")}"));
        foreach (var violation in Violations)
        {
            text.AppendLine("  " + violation);
        }
        text.Append(string.Create(CultureInfo.InvariantCulture, $"replay: scripts/chaos.sh --seed {Seed} --steps {Schedule.Count}"));
        return text.ToString();
    }
}
