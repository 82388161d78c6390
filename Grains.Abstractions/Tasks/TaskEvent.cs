namespace Orchestrator.Abstractions.Tasks;

/// <summary>One transition of a task: when (UTC), from what (null at creation), to what, and why.</summary>
[GenerateSerializer, Immutable, Alias("task-event")]
public sealed record TaskEvent(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] TaskState? From,
    [property: Id(2)] TaskState To,
    [property: Id(3)] string Reason);
