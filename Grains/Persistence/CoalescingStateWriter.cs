namespace Orchestrator.Grains.Persistence;

/// <summary>
/// Group commit for a reentrant grain's state: callers that change the state while a write is in flight
/// share the one write that follows it, instead of queueing a write each. Every caller's change is durable
/// when its task completes, and writes never overlap (the storage's ETag allows one at a time).
/// A grain runs one turn at a time, so the fields need no lock.
/// </summary>
public sealed class CoalescingStateWriter<TState>(IPersistentState<TState> state)
{
    private Task _writing = Task.CompletedTask;
    private Task? _queued;

    /// <summary>Writes the state as it is now, or joins the queued write that will see it.</summary>
    public Task WriteAsync() => _queued ??= WriteAfterAsync(_writing);

    private async Task WriteAfterAsync(Task writing)
    {
        // Yielding first lets WriteAsync record this task as the queued one before it starts writing.
        await Task.Yield();
        // The write in flight has its own callers to tell of its failure; this one writes the state again anyway.
        await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        _writing = _queued!;
        _queued = null;
        await state.WriteStateAsync();
    }
}
