using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Inspection;

namespace Orchestrator.Grains.Jobs;

/// <summary>The names of every job, so the cluster can list and reconcile them all.</summary>
public sealed class JobDirectoryGrain(
    [PersistentState(StorageNames.JobDirectoryState, StorageNames.Orchestrator)] IPersistentState<JobDirectoryState> state) : Grain, IJobDirectoryGrain, IStateInspectableGrain<JobDirectoryState>
{
    public Task<JobDirectoryState> GetStateAsync() => Task.FromResult(state.State);

    public async Task AddAsync(string job)
    {
        if (!state.State.Jobs.Contains(job))
        {
            state.State = state.State with { Jobs = state.State.Jobs.Add(job) };
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string job)
    {
        if (state.State.Jobs.Contains(job))
        {
            state.State = state.State with { Jobs = state.State.Jobs.Remove(job) };
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Jobs.ToArray());
}
