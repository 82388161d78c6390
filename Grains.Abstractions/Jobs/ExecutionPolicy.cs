namespace Orchestrator.Abstractions.Jobs;

/// <summary>What a silo lets jobs ask for beyond an ordinary container (<c>Orchestrator:Policy</c>).</summary>
[GenerateSerializer, Immutable, Alias("execution-policy")]
public sealed record ExecutionPolicy
{
    [Id(0)] public bool AllowPrivileged { get; init; }
    [Id(1)] public bool AllowHostMounts { get; init; }
    [Id(2)] public bool AllowHostNetwork { get; init; }

    /// <summary>Nothing elevated is allowed: the default.</summary>
    public static ExecutionPolicy Default { get; } = new();
}
