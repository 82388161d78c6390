using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Grains.Secrets;

/// <summary>A secret grain's persisted state: the value sealed with the cluster key, never the value itself.</summary>
[GenerateSerializer, Immutable, Alias("secret-state")]
public sealed record SecretState
{
    /// <summary>Null until the secret is created, and again once it is removed.</summary>
    [Id(0)] public SealedSecret? Value { get; init; }
    [Id(1)] public DateTimeOffset CreatedAt { get; init; }
}
