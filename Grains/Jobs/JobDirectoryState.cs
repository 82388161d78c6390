using System.Collections.Immutable;

namespace Orchestrator.Grains.Jobs;

/// <summary>The job directory's persisted state: every job name.</summary>
[GenerateSerializer, Immutable, Alias("job-directory-state")]
public sealed record JobDirectoryState
{
    [Id(0)] public ImmutableSortedSet<string> Jobs { get; init; } = ImmutableSortedSet<string>.Empty;
}
