using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Tasks;

/// <summary>What a job hands a new task: its job, its replica slot and the spec to run.</summary>
[GenerateSerializer, Immutable, Alias("task-assignment")]
public sealed record TaskAssignment(
    [property: Id(0)] string Job,
    [property: Id(1)] int Slot,
    [property: Id(2)] JobSpec Spec);
