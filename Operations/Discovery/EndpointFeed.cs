using System.Runtime.CompilerServices;
using Orchestrator.Operations.Output;

namespace Orchestrator.Operations.Discovery;

/// <summary>
/// A job's endpoints as they change, for <c>orch endpoints -f</c> and the API's endpoint stream: the whole set at
/// once, then the whole set again whenever a later read finds it different. Level-triggered, like every follow here:
/// each read is the truth, so a read that is lost or late changes nothing but how soon a change shows.
/// </summary>
public static class EndpointFeed
{
    /// <summary>The set <paramref name="read"/> finds, then each different set a later read finds, every <paramref name="interval"/>.</summary>
    public static async IAsyncEnumerable<IReadOnlyList<EndpointRow>> FollowAsync(
        Func<Task<IReadOnlyList<EndpointRow>>> read,
        TimeSpan interval,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        IReadOnlyList<EndpointRow>? last = null;
        while (true)
        {
            var current = await read().ConfigureAwait(false);
            if (last is null || !current.SequenceEqual(last))
            {
                last = current;
                yield return current;
            }
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
