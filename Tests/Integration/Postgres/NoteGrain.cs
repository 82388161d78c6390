namespace Orchestrator.Tests.Integration.Postgres;

public sealed class NoteGrain(
    [PersistentState("note", PostgresTestCluster.StorageName)] IPersistentState<NoteState> note) : Grain, INoteGrain
{
    public Task WriteAsync(string text)
    {
        note.State = new NoteState { Text = text, Revision = note.State.Revision + 1 };
        return note.WriteStateAsync();
    }

    public Task<NoteState> ReadAsync() => Task.FromResult(note.State);

    public Task ClearAsync() => note.ClearStateAsync();
}
