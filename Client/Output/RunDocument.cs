namespace Orchestrator.Client.Output;

/// <summary>What <c>orch run --json</c> prints: the job and its tasks as ps rows.</summary>
internal sealed record RunDocument(string Job, IReadOnlyList<TaskRow> Tasks);
