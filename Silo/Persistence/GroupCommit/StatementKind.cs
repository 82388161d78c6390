namespace Orchestrator.Silo.Persistence.GroupCommit;

/// <summary>What a <see cref="StateStatement"/> does to its row; each kind runs one of the statements of <see cref="StateQueries"/>.</summary>
internal enum StatementKind
{
    Read,
    Write,
    Delete,
}
