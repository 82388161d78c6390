namespace Orchestrator.Tests.Integration.Postgres;

public sealed class DraftGrain(
    [PersistentState("draft", PostgresTestCluster.StorageName)] IPersistentState<NoteState> draft) : Grain, IDraftGrain
{
    public Task WriteAsync(string text)
    {
        draft.State = new NoteState { Text = text, Revision = draft.State.Revision + 1 };
        return draft.WriteStateAsync();
    }

    public Task<NoteState> ReadAsync() => Task.FromResult(draft.State);
}
