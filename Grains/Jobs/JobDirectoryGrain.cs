using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Inspection;
using Orchestrator.Grains.Persistence;
using Orleans.Concurrency;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The names of every job, so the cluster can list and reconcile them all. Every submission passes through
/// here, so it is reentrant and submissions that arrive together share one write.
/// </summary>
[Reentrant]
public sealed class JobDirectoryGrain(
    [PersistentState(StorageNames.JobDirectoryState, StorageNames.Orchestrator)] IPersistentState<JobDirectoryState> state) : Grain, IJobDirectoryGrain, IStateInspectableGrain<JobDirectoryState>
{
    private readonly CoalescingStateWriter<JobDirectoryState> _writer = new(state);

    public Task<JobDirectoryState> GetStateAsync() => Task.FromResult(state.State);

    public async Task AddAsync(string job)
    {
        if (!state.State.Jobs.Contains(job))
        {
            state.State = state.State with { Jobs = state.State.Jobs.Add(job) };
            await _writer.WriteAsync();
        }
    }

    public async Task RemoveAsync(string job)
    {
        if (state.State.Jobs.Contains(job))
        {
            state.State = state.State with { Jobs = state.State.Jobs.Remove(job) };
            await _writer.WriteAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.Jobs.ToArray());
}
