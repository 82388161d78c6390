using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Nodes.Images;
using Orchestrator.Grains.Nodes.Runtime;
using Orchestrator.Grains.Nodes.Sweep;
using Xunit;

namespace Orchestrator.Tests.Nodes.Sweep;

/// <summary>The node's reconcile as a table: containers and ledger in, plan out.</summary>
public sealed class NodeSweepTests
{
    private const long Generation = 42;

    private static LedgerEntry Entry(string task, string? container = null, bool active = true, HealthSpec? health = null) =>
        new() { TaskId = task, Job = "web", Resources = new ResourceSpec(), ContainerId = container, Active = active, Health = health };

    private static ContainerDetails Container(string id, string task, bool running = true, string? state = null, int? exit = null) => new()
    {
        Id = id,
        Labels = new Dictionary<string, string> { [ContainerLabels.Task] = task },
        Running = running,
        State = state ?? (running ? "running" : "exited"),
        ExitCode = exit,
    };

    private static SweepPlan Sweep(
        IEnumerable<ContainerDetails> containers,
        IEnumerable<LedgerEntry> ledger,
        ISet<string>? busy = null,
        IDictionary<string, ReportedState>? acknowledged = null,
        IDictionary<string, string>? unhealthy = null,
        IDictionary<string, string>? watching = null,
        bool drainDeadlinePassed = false) => NodeSweep.Compute(new SweepInput
        {
            Containers = containers.ToList(),
            Ledger = ledger.ToDictionary(e => e.TaskId),
            Busy = new HashSet<string>(busy ?? new HashSet<string>()),
            Acknowledged = new Dictionary<string, ReportedState>(acknowledged ?? new Dictionary<string, ReportedState>()),
            Unhealthy = new Dictionary<string, string>(unhealthy ?? new Dictionary<string, string>()),
            Watching = new Dictionary<string, string>(watching ?? new Dictionary<string, string>()),
            DrainDeadlinePassed = drainDeadlinePassed,
            Generation = Generation,
        });

    [Fact]
    public void A_running_container_of_an_active_entry_is_reported_running_until_acknowledged()
    {
        var plan = Sweep([Container("c1", "t1")], [Entry("t1", "c1")]);
        var report = Assert.Single(plan.Reports);
        Assert.Equal(("t1", "c1", ContainerStatus.Running, Generation), (report.TaskId, report.Observation.ContainerId, report.Observation.Status, report.Observation.Generation));
        Assert.Empty(plan.Remove);

        var acknowledged = Sweep([Container("c1", "t1")], [Entry("t1", "c1")], acknowledged: new Dictionary<string, ReportedState> { ["t1"] = new("c1", ContainerStatus.Running) });
        Assert.Empty(acknowledged.Reports);
    }

    [Fact]
    public void A_task_waiting_for_its_image_is_reported_as_the_pull_stands_not_by_the_container_its_restart_replaces()
    {
        var pulls = new Dictionary<string, ImagePull>
        {
            ["t1"] = new("img", ContainerStatus.PullFailed, "pull of img failed: manifest unknown"),
            ["t2"] = new("img", ContainerStatus.Pulling, "pulling image img"),
        };
        var plan = NodeSweep.Compute(new SweepInput
        {
            Containers = [Container("c1", "t1", running: false, exit: 1)],
            Ledger = new[] { Entry("t1", "c1"), Entry("t2") }.ToDictionary(e => e.TaskId),
            Pulls = pulls,
            Generation = Generation,
        });

        Assert.Equal(
            [("t1", null, ContainerStatus.PullFailed, "pull of img failed: manifest unknown"), ("t2", null, ContainerStatus.Pulling, "pulling image img")],
            plan.Reports.OrderBy(r => r.TaskId).Select(r => (r.TaskId, r.Observation.ContainerId, r.Observation.Status, r.Observation.Detail)));
        Assert.Empty(plan.Remove);
    }

    [Fact]
    public void An_exit_is_reported_with_its_code_even_after_running_was_acknowledged()
    {
        var plan = Sweep([Container("c1", "t1", running: false, exit: 3)], [Entry("t1", "c1")], acknowledged: new Dictionary<string, ReportedState> { ["t1"] = new("c1", ContainerStatus.Running) });
        var observation = Assert.Single(plan.Reports).Observation;
        Assert.Equal((ContainerStatus.Exited, 3), (observation.Status, observation.ExitCode));
    }

    [Fact]
    public void A_container_no_entry_claims_is_removed()
    {
        var plan = Sweep([Container("c9", "gone")], []);
        Assert.Equal([("gone", "c9")], plan.Remove);
        Assert.Empty(plan.Reports);
    }

    [Fact]
    public void A_busy_task_is_left_alone_whatever_the_list_says()
    {
        // A start that began after the list was taken: its container is not in the list, or not recorded yet.
        var plan = Sweep([Container("c2", "t1")], [Entry("t1", "c1")], busy: new HashSet<string> { "t1", "t2" });
        Assert.Empty(plan.Reports);
        Assert.Empty(plan.Record);
        Assert.Empty(plan.Remove);

        var stray = Sweep([Container("c3", "t2")], [], busy: new HashSet<string> { "t2" });
        Assert.Empty(stray.Remove);
    }

    [Fact]
    public void A_container_created_and_never_started_is_removed_and_the_task_told_none_runs()
    {
        var plan = Sweep([Container("c1", "t1", running: false, state: "created", exit: 0)], [Entry("t1")]);
        Assert.Equal([("t1", "c1")], plan.Remove);
        var observation = Assert.Single(plan.Reports).Observation;
        Assert.Equal((null, ContainerStatus.Missing), (observation.ContainerId, observation.Status));
    }

    [Fact]
    public void A_reserved_entry_without_a_container_is_reported_missing_so_its_task_starts_one()
    {
        var plan = Sweep([], [Entry("t1")]);
        var observation = Assert.Single(plan.Reports).Observation;
        Assert.Equal((null, ContainerStatus.Missing, "no container yet"), (observation.ContainerId, observation.Status, observation.Detail));
    }

    [Fact]
    public void A_recorded_container_that_disappeared_is_reported_missing_with_its_id()
    {
        var plan = Sweep([], [Entry("t1", "c1")]);
        var observation = Assert.Single(plan.Reports).Observation;
        Assert.Equal(("c1", ContainerStatus.Missing), (observation.ContainerId, observation.Status));
    }

    [Fact]
    public void A_container_the_ledger_did_not_record_is_recorded_and_extra_copies_removed()
    {
        var plan = Sweep([Container("old", "t1", running: false), Container("new", "t1")], [Entry("t1")]);
        Assert.Equal([("t1", "new")], plan.Record);
        Assert.Equal([("t1", "old")], plan.Remove);
        Assert.Equal("new", Assert.Single(plan.Reports).Observation.ContainerId);
    }

    [Fact]
    public void The_recorded_container_is_kept_over_another_running_one()
    {
        var plan = Sweep([Container("a", "t1"), Container("b", "t1")], [Entry("t1", "a")]);
        Assert.Equal([("t1", "b")], plan.Remove);
        Assert.Empty(plan.Record);
    }

    [Fact]
    public void A_released_entry_whose_container_still_runs_has_it_stopped_and_nothing_reported()
    {
        var plan = Sweep([Container("c1", "t1")], [Entry("t1", "c1", active: false)]);
        Assert.Equal([("t1", "c1")], plan.Stop);
        Assert.Empty(plan.Reports);
        Assert.Empty(plan.Forget);
    }

    [Fact]
    public void A_released_entry_whose_container_is_gone_is_forgotten()
    {
        var plan = Sweep([], [Entry("t1", "c1", active: false)]);
        Assert.Equal(["t1"], plan.Forget);
    }

    [Fact]
    public void An_unhealthy_verdict_is_reported_as_such_until_acknowledged()
    {
        var plan = Sweep([Container("c1", "t1", running: false, exit: 137)], [Entry("t1", "c1")], unhealthy: new Dictionary<string, string> { ["t1"] = "c1" });
        Assert.Equal(ContainerStatus.Unhealthy, Assert.Single(plan.Reports).Observation.Status);
    }

    [Fact]
    public void Health_checks_resume_for_a_running_container_with_a_check_and_stop_for_one_that_ended()
    {
        var health = new HealthSpec();
        var plan = Sweep([Container("c1", "t1"), Container("c2", "t2", running: false, exit: 0)], [Entry("t1", "c1", health: health), Entry("t2", "c2", health: health)],
            watching: new Dictionary<string, string> { ["t2"] = "c2" });
        Assert.Equal("c1", Assert.Single(plan.Watch).ContainerId);
        Assert.Equal(["t2"], plan.Unwatch);
    }

    [Fact]
    public void A_drain_past_its_deadline_asks_every_live_task_to_move_on_every_sweep()
    {
        var plan = Sweep([Container("c1", "t1")], [Entry("t1", "c1"), Entry("t2", "c2", active: false)], drainDeadlinePassed: true);
        Assert.Equal(["t1"], plan.Displace);
    }

    [Fact]
    public void Before_the_drain_deadline_the_node_leaves_moving_its_tasks_to_their_jobs()
    {
        var plan = Sweep([Container("c1", "t1")], [Entry("t1", "c1")]);
        Assert.Empty(plan.Displace);
    }
}
