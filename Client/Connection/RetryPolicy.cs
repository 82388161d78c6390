using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Orchestrator.Abstractions.Jobs;
using Orleans.Runtime.Messaging;

namespace Orchestrator.Client.Connection;

/// <summary>
/// Which failures of a call to the cluster are worth making the same call again, through whichever gateway
/// answers: a silo that died (or is still being declared dead), a gateway connection that dropped, a gateway too
/// busy, no answer in time. Every orch command is safe to repeat (a submission is idempotent by job name), so the
/// only question is whether the failure is the cluster's answer or a fault of the way there. Application errors
/// (not found, an invalid spec, a refused policy) are the answer and are never retried.
/// </summary>
internal static class RetryPolicy
{
    /// <summary>How long a command without a <c>--timeout</c> of its own keeps retrying.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(60);

    /// <summary>The pause between attempts, so a dying silo is not hammered and the cluster has time to notice.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public static bool IsTransient(Exception exception) => Reason(exception) is not null;

    /// <summary>A few words on what failed on the way to the cluster, for the user; null when the failure is not transient.</summary>
    public static string? Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        // The outermost exception of a kind we know decides: Orleans and the sockets below it wrap one another.
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // Before the cancellation below: a ConnectionAbortedException is an OperationCanceledException.
                case ConnectionFailedException or ConnectionAbortedException or ConnectionResetException or SocketException:
                    return "the connection to the gateway was lost";
                case CommandFailedException or JobSpecException or OperationCanceledException:
                    return null;
                case SiloUnavailableException:
                    return "a silo is unavailable";
                case GatewayTooBusyException:
                    return "the gateway is too busy";
                case OrleansMessageRejectionException:
                    return "the call was rejected on the way to its grain";
                case ClientNotAvailableException:
                    return "the gateway lost this client";
                case TimeoutException:
                    return "no answer in time";
                case AggregateException { InnerExceptions.Count: > 0 } aggregate:
                    return aggregate.InnerExceptions.Select(Reason).All(r => r is not null) ? Reason(aggregate.InnerExceptions[0]) : null;
            }
        }
        return null;
    }
}
