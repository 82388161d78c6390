using CsCheck;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Jobs.Rollout;
using Xunit;

namespace Orchestrator.Tests.Jobs.Rollout;

/// <summary>
/// A job of replicas that all run version 1 is rolled to version 2 while the new tasks start, turn Ready, turn
/// unready and crash at random; the planner's plan is applied to a model of the slots after each step. Whatever
/// the health outcomes: the plan never takes the job below <c>replicas − maxParallel</c> Ready replicas, never has
/// more than <c>maxParallel</c> new replicas that have not counted, and never stops a Ready task for one that did not count.
/// </summary>
public sealed class RolloutPlannerPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>One step: how much time passes, then what happens to each task (by its position), 0–9.</summary>
    private static readonly Gen<(int Millis, byte[] Outcomes)> Step = Gen.Select(Gen.Int[0, 4000], Gen.Byte[0, 9].Array[12]);

    private static readonly Gen<(int Replicas, int MaxParallel, int MinHealthy, bool AutoRevert, (int Millis, byte[] Outcomes)[] Steps)> Scenario =
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 3], Gen.Int[0, 3], Gen.Bool, Step.Array[1, 60]);

    [Fact]
    public void The_plan_never_takes_the_job_below_replicas_minus_max_parallel_ready_replicas_whatever_the_health_outcomes() =>
        Scenario.Sample(s => Simulate(s.Replicas, s.MaxParallel, s.MinHealthy, s.AutoRevert, s.Steps, countedStayReady: false), iter: 2000);

    [Fact]
    public void While_counted_replicas_stay_ready_the_job_always_has_replicas_minus_max_parallel_ready() =>
        Scenario.Sample(s => Simulate(s.Replicas, s.MaxParallel, s.MinHealthy, s.AutoRevert, s.Steps, countedStayReady: true), iter: 2000);

    [Fact]
    public void When_every_new_replica_turns_ready_the_rollout_ends_healthy_with_every_slot_on_the_new_version()
    {
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 3]).Sample((replicas, maxParallel) =>
        {
            var model = new Model(replicas, new UpdateSpec { MaxParallel = maxParallel, MinHealthySeconds = 2, HealthyDeadlineSeconds = 30 });
            for (var i = 0; i < 100 && model.Status == JobVersionStatus.Rolling; i++)
            {
                model.Now += TimeSpan.FromSeconds(1);
                foreach (var task in model.Tasks().Where(t => !t.Ready))
                {
                    model.Set(task with { Ready = true, ReadySince = model.Now });
                }
                model.Apply(RolloutPlanner.Compute(model.Input()));
            }
            Assert.Equal(JobVersionStatus.Current, model.Status);
            Assert.All(model.Slots, s => Assert.Equal(2, s.Value.Current!.Version));
            Assert.All(model.Slots, s => Assert.Null(s.Value.Surge));
        }, iter: 200);
    }

    private static void Simulate(int replicas, int maxParallel, int minHealthy, bool autoRevert, (int Millis, byte[] Outcomes)[] steps, bool countedStayReady)
    {
        var update = new UpdateSpec { MaxParallel = maxParallel, MinHealthySeconds = minHealthy, HealthyDeadlineSeconds = 8, AutoRevert = autoRevert };
        var model = new Model(replicas, update);
        // A task that counted once stays Ready in the second property, also once a rollback made it outdated.
        var counted = new HashSet<string>();
        foreach (var (millis, outcomes) in steps)
        {
            model.Now += TimeSpan.FromMilliseconds(millis);
            var tasks = model.Tasks().ToList();
            for (var i = 0; i < tasks.Count && i < outcomes.Length; i++)
            {
                var task = tasks[i];
                // Version 1 is healthy: only what a rollout starts behaves at random.
                if (task.Version == 1 || task.Ended || (countedStayReady && counted.Contains(task.Id)))
                {
                    continue;
                }
                model.Set(outcomes[i] switch
                {
                    < 5 => task.Ready ? task : task with { Ready = true, ReadySince = model.Now },
                    < 8 => task with { Ready = false, ReadySince = null },
                    8 => task with { Ended = true, Ready = false, ReadySince = null, Reason = "exited with code 1" },
                    _ => task,
                });
            }

            counted.UnionWith(model.Tasks().Where(model.Counted).Select(t => t.Id));
            var before = model.ReadySlots();
            var plan = RolloutPlanner.Compute(model.Input());
            foreach (var slot in plan.Promote)
            {
                var (current, surge) = model.Slots[slot];
                Assert.True(current is not { Ready: true, Ended: false } || model.Counted(surge!),
                    $"slot {slot}: a Ready task was stopped for one that did not count");
            }
            Assert.All(plan.Replace, slot => Assert.False(model.Slots[slot].Current!.Ready, $"slot {slot}: a Ready task was replaced in place"));
            model.Apply(plan);

            var floor = replicas - maxParallel;
            Assert.True(model.ReadySlots() >= Math.Min(before, floor), $"the plan took Ready replicas from {before} to {model.ReadySlots()}, below {floor}");
            if (countedStayReady)
            {
                Assert.True(model.ReadySlots() >= floor, $"{model.ReadySlots()} Ready replicas, below {floor}");
            }
            Assert.True(model.Slots.Count(s => s.Value.Surge is { } t && !model.Counted(t)) <= maxParallel, "more new replicas at once than maxParallel");
        }
    }

    /// <summary>The job's slots as the grain keeps them, with tasks that do whatever the test tells them.</summary>
    private sealed class Model
    {
        private readonly int _replicas;
        private readonly UpdateSpec _update;
        private int _next;

        public Model(int replicas, UpdateSpec update)
        {
            _replicas = replicas;
            _update = update;
            Now = Start;
            for (var slot = 0; slot < replicas; slot++)
            {
                Slots[slot] = (Task(1, Now.AddHours(-1)) with { Ready = true, ReadySince = Now.AddHours(-1) }, null);
            }
        }

        public Dictionary<int, (RolloutTask? Current, RolloutTask? Surge)> Slots { get; } = [];
        public DateTimeOffset Now { get; set; }
        public int Version { get; private set; } = 2;
        public JobVersionStatus Status { get; private set; } = JobVersionStatus.Rolling;

        /// <summary>Versions 1 and 3 (the rollback) run the same tasks; version 2 runs others.</summary>
        private bool Outdated(int version) => (version == 2) != (Version == 2);

        public IEnumerable<RolloutTask> Tasks() =>
            Slots.OrderBy(s => s.Key).SelectMany(s => new[] { s.Value.Current, s.Value.Surge }).OfType<RolloutTask>();

        public bool Counted(RolloutTask task) =>
            task is { Ended: false, Ready: true, ReadySince: { } since } && !Outdated(task.Version) && Now - since >= TimeSpan.FromSeconds(_update.MinHealthySeconds);

        public int ReadySlots() => Slots.Count(s => s.Value.Current is { Ready: true, Ended: false } || s.Value.Surge is { Ready: true, Ended: false });

        public void Set(RolloutTask task)
        {
            var slot = Slots.Single(s => s.Value.Current?.Id == task.Id || s.Value.Surge?.Id == task.Id);
            Slots[slot.Key] = slot.Value.Current?.Id == task.Id ? (task, slot.Value.Surge) : (slot.Value.Current, task);
        }

        public RolloutInput Input() => new()
        {
            Slots = Slots.Select(s => new RolloutSlot(s.Key, Judge(s.Value.Current), Judge(s.Value.Surge))).ToList(),
            Replicas = _replicas,
            Version = Version,
            Status = Status,
            Update = _update,
            LastHealthy = 1,
            Now = Now,
        };

        public void Apply(RolloutPlan plan)
        {
            foreach (var slot in plan.Promote)
            {
                Slots[slot] = (Slots[slot].Surge, null);
            }
            foreach (var stop in plan.StopSurge)
            {
                Slots[stop.Slot] = (Slots[stop.Slot].Current, null);
            }
            foreach (var slot in plan.Replace)
            {
                Slots[slot] = (Task(Version, Now), Slots[slot].Surge);
            }
            foreach (var slot in plan.StartSurge)
            {
                Assert.Null(Slots[slot].Surge);
                Slots[slot] = (Slots[slot].Current, Task(Version, Now));
            }
            (Version, Status) = plan.Outcome switch
            {
                RolloutOutcome.Healthy => (Version, JobVersionStatus.Current),
                RolloutOutcome.Failed => (Version, JobVersionStatus.Failed),
                RolloutOutcome.Revert => (3, JobVersionStatus.Rolling),
                _ => (Version, Status),
            };
        }

        private RolloutTask? Judge(RolloutTask? task) => task is null ? null : task with { Outdated = Outdated(task.Version) };

        private RolloutTask Task(int version, DateTimeOffset createdAt) => new() { Id = $"t{_next++}", Version = version, CreatedAt = createdAt };
    }
}
