namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>
/// Draws a fault schedule from a seed, as FoundationDB's simulation does: the same seed always gives the same
/// steps, so a failing run is replayed by its seed alone. Steps follow one another (each is undone before the
/// next begins), with a few seconds between them for the cluster to react.
/// </summary>
public static class FaultSchedule
{
    /// <summary>Orleans' call timeout: a silo frozen longer than this has callers give up on it.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long grain storage retries an unreachable database (15 s) with a margin, so an outage outlasts it.</summary>
    public static readonly TimeSpan StorageRetryBudget = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan EngineFreeze = TimeSpan.FromSeconds(40);

    public static IReadOnlyList<FaultStep> Generate(int seed, int steps, int nodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 1);
        var random = new Random(seed);
        var kinds = Enum.GetValues<FaultKind>();
        var schedule = new List<FaultStep>(steps);
        var at = Seconds(random, 3, 8);
        for (var i = 0; i < steps; i++)
        {
            var kind = kinds[random.Next(kinds.Length)];
            var target = kind is FaultKind.PostgresOutage or FaultKind.RestartAllSilos or FaultKind.CallFaults ? -1 : random.Next(nodes);
            var duration = kind switch
            {
                // Half come back at once (a restart), half stay down long enough to be declared dead.
                FaultKind.KillSilo => random.Next(2) == 0 ? TimeSpan.Zero : Seconds(random, 10, 30),
                FaultKind.KillMachine => Seconds(random, 0, 20),
                FaultKind.FreezeSilo => CallTimeout + Seconds(random, 5, 15),
                FaultKind.PostgresOutage => StorageRetryBudget + Seconds(random, 2, 15),
                FaultKind.FreezeEngine => EngineFreeze,
                FaultKind.RestartAllSilos => Seconds(random, 0, 3),
                FaultKind.CallFaults => Seconds(random, 15, 30),
                _ => throw new InvalidOperationException($"no duration for {kind}"),
            };
            schedule.Add(new FaultStep(at, kind, target, duration));
            at += duration + Seconds(random, 3, 10);
        }
        return schedule;
    }

    /// <summary>One line per step, for failure messages and replay.</summary>
    public static string Describe(int seed, IReadOnlyList<FaultStep> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return $"seed {seed}, {schedule.Count} steps:\n" + string.Join('\n', schedule.Select(s => "  " + s));
    }

    /// <summary>Whole tenths of a second, so schedules print exactly as they run.</summary>
    private static TimeSpan Seconds(Random random, int min, int max) =>
        TimeSpan.FromSeconds(random.Next(min * 10, max * 10 + 1) / 10.0);
}
