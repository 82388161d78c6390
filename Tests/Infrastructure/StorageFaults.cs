using Orleans.Storage;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Makes the grain storage of a <see cref="GrainTestCluster"/> refuse chosen writes, as a database that is away
/// would, shared by every silo of the cluster.
/// </summary>
internal sealed class StorageFaults
{
    private volatile Func<string, GrainId, bool>? _failWrites;

    /// <summary>Writes of (state name, grain) for which this is true throw; null lets every write through.</summary>
    public Func<string, GrainId, bool>? FailWrites
    {
        get => _failWrites;
        set => _failWrites = value;
    }

    public IGrainStorage Wrap(IGrainStorage inner) => new FaultyStorage(inner, this);

    private sealed class FaultyStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            faults.FailWrites?.Invoke(stateName, grainId) == true
                ? throw new OrleansException($"test: storage refuses to write {stateName} of {grainId}")
                : inner.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            inner.ClearStateAsync(stateName, grainId, grainState);
    }
}
