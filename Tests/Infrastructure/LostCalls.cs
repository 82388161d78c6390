using System.Collections.Concurrent;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// Loses chosen grain calls in a test cluster, by method name: the request (the grain never runs it) or the reply
/// (the grain ran it, the caller never hears). Either way the caller sees the timeout it would see on a real network.
/// </summary>
internal sealed class LostCalls : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _replies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<object?, bool>> _which = new(StringComparer.Ordinal);

    /// <summary>
    /// The next <paramref name="count"/> calls of <paramref name="method"/> never reach their grain; with
    /// <paramref name="which"/>, only those whose first argument it accepts.
    /// </summary>
    public void LoseRequests(string method, int count = 1, Func<object?, bool>? which = null)
    {
        _which[method] = which ?? (_ => true);
        _requests[method] = count;
    }

    /// <summary>The next <paramref name="count"/> calls of <paramref name="method"/> run, and their replies are lost.</summary>
    public void LoseReplies(string method, int count = 1) => _replies[method] = count;

    /// <summary>How many losses are still to come.</summary>
    public int Pending => _requests.Values.Sum() + _replies.Values.Sum();

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var method = context.InterfaceMethod?.Name ?? "";
        if (_which.TryGetValue(method, out var which) && which(context.Request.GetArgumentCount() > 0 ? context.Request.GetArgument(0) : null) && Take(_requests, method))
        {
            throw new TimeoutException($"test: the request {method} was lost");
        }
        await context.Invoke();
        if (Take(_replies, method))
        {
            throw new TimeoutException($"test: the reply of {method} was lost");
        }
    }

    private static bool Take(ConcurrentDictionary<string, int> losses, string method)
    {
        while (losses.TryGetValue(method, out var left) && left > 0)
        {
            if (losses.TryUpdate(method, left - 1, left))
            {
                return true;
            }
        }
        return false;
    }
}
