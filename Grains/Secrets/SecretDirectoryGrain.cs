using Orchestrator.Abstractions.Secrets;
using Orchestrator.Grains.Persistence;
using Orleans.Concurrency;

namespace Orchestrator.Grains.Secrets;

/// <summary>What is known of every secret but its value, so <c>orch secret ls</c> is one call. Each secret grain keeps it told.</summary>
[Reentrant]
public sealed class SecretDirectoryGrain(
    [PersistentState(StorageNames.SecretDirectoryState, StorageNames.Orchestrator)] IPersistentState<SecretDirectoryState> state) : Grain, ISecretDirectoryGrain
{
    private readonly CoalescingStateWriter<SecretDirectoryState> _writer = new(state);

    public async Task AddAsync(SecretInfo secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!state.State.Secrets.TryGetValue(secret.Name, out var known) || known != secret)
        {
            state.State = state.State with { Secrets = state.State.Secrets.SetItem(secret.Name, secret) };
            await _writer.WriteAsync();
        }
    }

    public async Task RemoveAsync(string name)
    {
        if (state.State.Secrets.ContainsKey(name))
        {
            state.State = state.State with { Secrets = state.State.Secrets.Remove(name) };
            await _writer.WriteAsync();
        }
    }

    public Task<IReadOnlyList<SecretInfo>> ListAsync() => Task.FromResult<IReadOnlyList<SecretInfo>>([.. state.State.Secrets.Values]);
}
