namespace Orchestrator.Abstractions.Jobs;

/// <summary>A secret the job's containers read as the file <c>/run/secrets/TARGET</c>; the job names it, never holds its value.</summary>
[GenerateSerializer, Immutable, Alias("secret-spec")]
public sealed record SecretSpec
{
    /// <summary>The secret's name, as <c>orch secret create</c> stored it.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>The file name under <c>/run/secrets</c>; null (absent from the job file) takes <see cref="Name"/>.</summary>
    [Id(1)] public string? Target { get; init; }

    /// <summary>The file name the value is mounted as.</summary>
    public string FileName => Target ?? Name;
}
