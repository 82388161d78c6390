using System.Collections.Immutable;
using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Grains.Secrets;

/// <summary>The secret directory's persisted state: name, size and creation time of every secret.</summary>
[GenerateSerializer, Immutable, Alias("secret-directory-state")]
public sealed record SecretDirectoryState
{
    [Id(0)] public ImmutableSortedDictionary<string, SecretInfo> Secrets { get; init; } = ImmutableSortedDictionary.Create<string, SecretInfo>(StringComparer.Ordinal);
}
