using System.Runtime.CompilerServices;
using Orchestrator.Operations.Output;

namespace Orchestrator.Operations.Cluster;

/// <summary>
/// Task events as they happen, for <c>orch events -f</c> and the API's event stream. Tasks keep their events, so
/// following is reading them again and again and passing on those not passed on before.
/// </summary>
public static class EventFeed
{
    /// <summary>Every event <paramref name="read"/> finds, oldest first, then each new one it finds on a later read, every <paramref name="interval"/>.</summary>
    public static async IAsyncEnumerable<EventRow> FollowAsync(
        Func<Task<IReadOnlyList<EventRow>>> read,
        TimeSpan interval,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        // Rows are records: an event already passed on compares equal when it is read again, also after a retry.
        var passed = new HashSet<EventRow>();
        while (true)
        {
            foreach (var row in (await read().ConfigureAwait(false)).Where(passed.Add))
            {
                yield return row;
            }
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }
}
