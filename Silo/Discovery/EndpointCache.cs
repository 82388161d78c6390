using System.Collections.Concurrent;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Output;

namespace Orchestrator.Silo.Discovery;

/// <summary>
/// The endpoints of each job for the DNS server, read through the same path as <c>orch endpoints</c> and kept for
/// <see cref="Lifetime"/>, well within the answers' TTL, so a burst of questions costs one read per job. A name is
/// looked up only once the job directory lists it, so questions about names that are no job activate no grain, and
/// only listed jobs are kept.
/// </summary>
internal sealed class EndpointCache(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(1);

    private readonly Expiring<IReadOnlySet<string>> _jobs = new(time);
    private readonly ConcurrentDictionary<string, Expiring<IReadOnlyList<EndpointRow>?>> _endpoints = new(StringComparer.Ordinal);

    /// <summary>The job's endpoints, at most <see cref="Lifetime"/> old; null when the cluster has no such job.</summary>
    public async Task<IReadOnlyList<EndpointRow>?> GetAsync(string job)
    {
        var jobs = await _jobs.GetAsync(ReadJobsAsync).ConfigureAwait(false);
        if (!jobs.Contains(job))
        {
            return null;
        }
        return await _endpoints.GetOrAdd(job, _ => new Expiring<IReadOnlyList<EndpointRow>?>(time)).GetAsync(() => ReadEndpointsAsync(job)).ConfigureAwait(false);
    }

    private async Task<IReadOnlySet<string>> ReadJobsAsync()
    {
        var names = (await grains.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync().ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _endpoints.Keys.Where(k => !names.Contains(k)))
        {
            _endpoints.TryRemove(gone, out _);
        }
        return names;
    }

    private async Task<IReadOnlyList<EndpointRow>?> ReadEndpointsAsync(string job)
    {
        try
        {
            return await ClusterReader.GetEndpointsAsync(grains, job).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            // Listed a moment ago, gone since.
            return null;
        }
    }

    /// <summary>One value read at most once per <see cref="Lifetime"/>, shared by everyone asking meanwhile; a failed read is not kept.</summary>
    private sealed class Expiring<T>(TimeProvider time)
    {
        private readonly Lock _lock = new();
        private Task<T>? _value;
        private DateTimeOffset _readAt;

        public Task<T> GetAsync(Func<Task<T>> read)
        {
            lock (_lock)
            {
                var now = time.GetUtcNow();
                if (_value is null || _value.IsFaulted || _value.IsCanceled || now - _readAt >= Lifetime)
                {
                    _value = read();
                    _readAt = now;
                }
                return _value;
            }
        }
    }
}
