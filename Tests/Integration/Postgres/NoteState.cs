namespace Orchestrator.Tests.Integration.Postgres;

[GenerateSerializer, Alias("orch-test.note-state")]
public sealed record NoteState
{
    [Id(0)]
    public string Text { get; init; } = "";

    [Id(1)]
    public int Revision { get; init; }
}
