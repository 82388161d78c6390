namespace Orchestrator.Tests.Integration.Postgres;

/// <summary>A grain that keeps a note in grain storage under the state name "note".</summary>
[Alias("orch-test.note")]
public interface INoteGrain : IGrainWithStringKey
{
    Task WriteAsync(string text);

    Task<NoteState> ReadAsync();

    Task ClearAsync();
}
