namespace Orchestrator.Silo.Persistence.GroupCommit;

/// <summary>
/// What a statement returned: a read's stored version and payload (null for a cleared row), or the version a
/// write or delete left behind. A statement that returned nothing (no row, a version conflict) has no StateRow.
/// </summary>
internal readonly record struct StateRow(int Version, byte[]? Payload);
