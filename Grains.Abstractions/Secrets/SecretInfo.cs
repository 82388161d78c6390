namespace Orchestrator.Abstractions.Secrets;

/// <summary>What anyone may know of a secret: its name, its size and when it was created. Never its value.</summary>
[GenerateSerializer, Immutable, Alias("secret-info")]
public sealed record SecretInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] int SizeBytes,
    [property: Id(2)] DateTimeOffset CreatedAt);
