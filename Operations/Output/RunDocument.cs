namespace Orchestrator.Operations.Output;

/// <summary>What <c>orch run --json</c> prints: the job and its tasks as ps rows.</summary>
public sealed record RunDocument(string Job, IReadOnlyList<TaskRow> Tasks);
