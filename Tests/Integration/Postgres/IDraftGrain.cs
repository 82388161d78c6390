namespace Orchestrator.Tests.Integration.Postgres;

/// <summary>
/// Same shape and keys as <see cref="INoteGrain"/>, another grain class with its own state name
/// ("draft"): its rows must never be confused with the notes'.
/// </summary>
[Alias("orch-test.draft")]
public interface IDraftGrain : IGrainWithStringKey
{
    Task WriteAsync(string text);

    Task<NoteState> ReadAsync();
}
