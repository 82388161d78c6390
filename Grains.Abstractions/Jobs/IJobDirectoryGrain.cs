using Orchestrator.Abstractions.Access;

namespace Orchestrator.Abstractions.Jobs;

/// <summary>The names of every job (one grain, key <see cref="Key"/>), so the cluster can list them.</summary>
[Alias("job-directory")]
public interface IJobDirectoryGrain : IGrainWithStringKey
{
    /// <summary>The key of the one directory grain.</summary>
    const string Key = "cluster";

    [Alias("add")]
    Task AddAsync(string job);

    [Alias("remove")]
    Task RemoveAsync(string job);

    [Alias("list"), ClientFacing]
    Task<IReadOnlyList<string>> ListAsync();
}
