using Xunit;

namespace Orchestrator.Tests.Cluster.Convergence;

public sealed class FaultScheduleTests
{
    [Fact]
    public void The_same_seed_gives_the_same_schedule() =>
        Assert.Equal(FaultSchedule.Generate(42, 6, 3), FaultSchedule.Generate(42, 6, 3));

    [Fact]
    public void Different_seeds_give_different_schedules() =>
        Assert.NotEqual(FaultSchedule.Generate(1, 6, 3), FaultSchedule.Generate(2, 6, 3));

    [Fact]
    public void Steps_follow_one_another_without_overlapping()
    {
        foreach (var seed in Enumerable.Range(0, 200))
        {
            var schedule = FaultSchedule.Generate(seed, 5, 3);
            Assert.Equal(5, schedule.Count);
            Assert.True(schedule[0].At > TimeSpan.Zero);
            foreach (var (earlier, later) in schedule.Zip(schedule.Skip(1)))
            {
                Assert.True(later.At > earlier.At + earlier.Duration, $"seed {seed}: {later} overlaps {earlier}");
            }
        }
    }

    [Fact]
    public void Every_fault_kind_is_drawn_and_respects_its_bounds()
    {
        var steps = Enumerable.Range(0, 200).SelectMany(seed => FaultSchedule.Generate(seed, 4, 3)).ToList();
        Assert.Equal(Enum.GetValues<FaultKind>().Order(), steps.Select(s => s.Kind).Distinct().Order());
        Assert.All(steps, s =>
        {
            var wholeCluster = s.Kind is FaultKind.PostgresOutage or FaultKind.RestartAllSilos or FaultKind.CallFaults;
            Assert.True(wholeCluster ? s.Target == -1 : s.Target is >= 0 and < 3, $"target of {s}");
            Assert.True(s.Duration >= TimeSpan.Zero, $"duration of {s}");
        });
        Assert.All(steps.Where(s => s.Kind == FaultKind.FreezeSilo), s => Assert.True(s.Duration > FaultSchedule.CallTimeout, $"{s} is no longer than the call timeout"));
        Assert.All(steps.Where(s => s.Kind == FaultKind.PostgresOutage), s => Assert.True(s.Duration > FaultSchedule.StorageRetryBudget, $"{s} is within the retry budget"));
        Assert.All(steps.Where(s => s.Kind == FaultKind.FreezeEngine), s => Assert.Equal(FaultSchedule.EngineFreeze, s.Duration));
        Assert.Contains(steps, s => s.Kind == FaultKind.KillSilo && s.Duration == TimeSpan.Zero);
        Assert.Contains(steps, s => s.Kind == FaultKind.KillSilo && s.Duration > TimeSpan.Zero);
    }

    [Fact]
    public void A_described_schedule_names_the_seed_and_every_step()
    {
        var schedule = FaultSchedule.Generate(7, 3, 3);
        var text = FaultSchedule.Describe(7, schedule);
        Assert.StartsWith("seed 7, 3 steps:", text, StringComparison.Ordinal);
        Assert.All(schedule, s => Assert.Contains(s.ToString(), text, StringComparison.Ordinal));
    }
}
