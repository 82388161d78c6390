using System.Globalization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orchestrator.Silo.Persistence.GroupCommit;

/// <summary>
/// Grain storage in PostgreSQL whose reads, writes and clears go through the silo's <see cref="GroupCommitQueue"/>,
/// many grains to a transaction. Rows, versions and rules are those of Orleans' ADO.NET storage with
/// <c>DeleteStateOnClear</c>: a write must present the version it read (its ETag) and gets the next one, a conflict
/// is an <see cref="InconsistentStateException"/> for that grain alone, and a clear deletes the row.
/// </summary>
internal sealed class GroupCommitGrainStorage(
    string serviceId, GroupCommitQueue queue, IGrainStorageSerializer serializer, IActivatorProvider activators) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var row = await queue.RunAsync(StateStatement.Read(StateRowKey.Of(serviceId, stateName, grainId))).ConfigureAwait(false);
        // A row without a payload is a state cleared by a silo that kept cleared rows: it exists only as a version.
        var payload = row?.Payload;
        grainState.State = (payload is null ? default : serializer.Deserialize<T>(new BinaryData(payload))) ?? Create<T>();
        grainState.ETag = row?.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = payload is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = serializer.Serialize(grainState.State).ToMemory();
        var statement = StateStatement.Write(StateRowKey.Of(serviceId, stateName, grainId), Version(grainState), payload);
        var row = await queue.RunAsync(statement).ConfigureAwait(false)
            ?? throw Conflict("write", stateName, grainId, grainState);
        grainState.ETag = row.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (!grainState.RecordExists && string.IsNullOrWhiteSpace(grainState.ETag))
        {
            // The grain never saw a row; there may be one all the same (it was never read), which a clear must remove.
            await ReadStateAsync(stateName, grainId, grainState).ConfigureAwait(false);
            if (!grainState.RecordExists)
            {
                return;
            }
        }

        var statement = StateStatement.Delete(StateRowKey.Of(serviceId, stateName, grainId), Version(grainState));
        _ = await queue.RunAsync(statement).ConfigureAwait(false)
            ?? throw Conflict("clear", stateName, grainId, grainState);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Create<T>();
    }

    private static int? Version<T>(IGrainState<T> grainState) =>
        string.IsNullOrWhiteSpace(grainState.ETag) ? null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);

    private static InconsistentStateException Conflict<T>(string operation, string stateName, GrainId grainId, IGrainState<T> grainState) =>
        new($"Version conflict ({operation} of state {stateName} of {grainId}): the stored version is not the grain's, {grainState.ETag ?? "none"}",
            storedEtag: null, currentEtag: grainState.ETag);

    private T Create<T>() => activators.GetActivator<T>().Create();
}
