namespace Orchestrator.Abstractions.Jobs;

/// <summary>One broken rule of a job spec: the field (a JSON path such as <c>ports[0].host</c>) and the rule.</summary>
[GenerateSerializer, Immutable, Alias("spec-error")]
public sealed record SpecError([property: Id(0)] string Field, [property: Id(1)] string Rule)
{
    public override string ToString() => $"{Field}: {Rule}";
}
