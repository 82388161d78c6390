using System.Reflection;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Jobs;
using Orchestrator.Grains.Nodes;
using Orchestrator.Grains.Secrets;
using Orchestrator.Grains.Tasks;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Inspection;

/// <summary>The Orleans dashboard's grain-state view finds every grain's persisted state.</summary>
public sealed class StateInspectableGrainTests
{
    [Fact]
    public void Every_grain_with_persisted_state_hands_it_out_by_its_own_type()
    {
        // Secrets are the exception by design: nothing of them, not even their ciphertext, is for the view.
        var grains = typeof(JobGrain).Assembly.GetTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(Grain).IsAssignableFrom(t) && t.Namespace != typeof(SecretGrain).Namespace)
            .Select(t => (Grain: t, States: PersistedStateTypes(t)))
            .Where(g => g.States.Count > 0)
            .ToList();

        Assert.NotEmpty(grains);
        Assert.All(grains, g => Assert.All(g.States, state =>
            Assert.True(typeof(IStateInspectableGrain<>).MakeGenericType(state).IsAssignableFrom(g.Grain), $"{g.Grain.Name} does not implement IStateInspectableGrain<{state.Name}>")));
    }

    [Fact]
    public async Task The_state_is_reachable_through_the_interface_type_alone_as_the_dashboard_asks_for_it()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        await cluster.Client.GetJob("seen").SubmitAsync(new JobSpec { Name = "seen", Image = "orch-test/busybox:latest", Replicas = 2 });

        // The dashboard has only the grain class and a key: it asks the factory by interface type.
        var grain = (IStateInspectableGrain<JobState>)cluster.Client.GetGrain(typeof(IStateInspectableGrain<JobState>), GrainKeys.Job("seen"));
        var state = await grain.GetStateAsync();
        var node = (IStateInspectableGrain<NodeState>)cluster.Client.GetGrain(typeof(IStateInspectableGrain<NodeState>), GrainKeys.Node(cluster.Node));

        Assert.Equal("seen", state.Spec?.Name);
        Assert.Equal(2, state.Slots.Count);
        Assert.Equal(state.Slots.Values.Order(), (await node.GetStateAsync()).Ledger.Keys.Order());
    }

    [Fact]
    public async Task The_state_shown_hides_env_values_the_grains_keep()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var spec = new JobSpec { Name = "secret", Image = "orch-test/busybox:latest", Env = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2" } };
        await cluster.Client.GetJob("secret").SubmitAsync(spec);
        var task = (await cluster.WaitForTasksAsync("secret", t => t.Count == 1))[0];

        var job = await ((IStateInspectableGrain<JobState>)cluster.Client.GetGrain(typeof(IStateInspectableGrain<JobState>), GrainKeys.Job("secret"))).GetStateAsync();
        var record = await ((IStateInspectableGrain<TaskRecord>)cluster.Client.GetGrain(typeof(IStateInspectableGrain<TaskRecord>), task.Id)).GetStateAsync();

        Assert.Equal(EnvRedaction.Mask, job.Spec!.Env["DB_PASSWORD"]);
        Assert.All(job.Versions, v => Assert.Equal(EnvRedaction.Mask, v.Spec.Env["DB_PASSWORD"]));
        Assert.NotEmpty(job.Versions);
        Assert.Equal(EnvRedaction.Mask, record.Info!.Spec!.Env["DB_PASSWORD"]);
        Assert.Equal("hunter2", (await cluster.Client.GetGrain<ITaskGrain>(task.Id).GetAsync())!.Spec!.Env["DB_PASSWORD"]);
    }

    // What the dashboard looks for: the T of every IPersistentState<T> field of the grain class.
    private static List<Type> PersistedStateTypes(Type grain) =>
        grain.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .Select(f => f.FieldType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IPersistentState<>))
            .Select(t => t.GetGenericArguments()[0])
            .ToList();
}
