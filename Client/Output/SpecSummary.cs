using System.Globalization;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Client.Output;

/// <summary>A job spec's essentials, one line each, for <c>orch inspect</c>.</summary>
internal static class SpecSummary
{
    public static void AddTo(DetailGrid grid, JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(spec);
        grid.Add("Image", $"{spec.Image} (pull {spec.ImagePull})")
            .Add("Command", spec.Command is { } command ? string.Join(" ", command) : "(image default)")
            .Add("Replicas", spec.Replicas.ToString(CultureInfo.InvariantCulture))
            .Add("Resources", string.Create(CultureInfo.InvariantCulture, $"cpu {spec.Resources.Cpu}, memory {spec.Resources.MemoryMb} MB"))
            .Add("Ports", string.Join(", ", spec.Ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{(p.Host == 0 ? "any" : p.Host)}->{p.Container}"))))
            .Add("Restart", string.Create(CultureInfo.InvariantCulture, $"{spec.Restart.Policy}, at most {spec.Restart.MaxRestarts}, backoff {spec.Restart.BackoffSeconds} s"))
            .Add("Health", Health(spec.Health))
            .Add("Constraints", string.Join(", ", spec.Constraints.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.Wanted}")))
            .Add("Spread by", spec.SpreadBy)
            .Add("Distinct nodes", spec.DistinctNodes ? "yes" : "no")
            .Add("Scheduler", spec.Scheduler ?? "(cluster default)");
    }

    private static string? Health(HealthSpec? health) => health switch
    {
        null => null,
        { Http: { } http } => string.Create(CultureInfo.InvariantCulture, $"http :{http.Port}{http.Path} every {health.IntervalSeconds} s"),
        { Exec: { } exec } => string.Create(CultureInfo.InvariantCulture, $"exec {string.Join(" ", exec)} every {health.IntervalSeconds} s"),
        _ => null,
    };
}
