using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Storage;
using Orleans.Runtime.Messaging;

namespace Orchestrator.Operations.Failures;

/// <summary>
/// What a failed call to the cluster means to its user, for <c>orch</c> (retry or report) and the HTTP API (503 or
/// the cluster's own answer). A silo that died (or is still being declared dead), a gateway connection that dropped,
/// a gateway too busy or no answer in time is a fault of the way there: the same call may well work in a moment.
/// Application errors (not found, an invalid spec, a refused policy) are the cluster's answer.
/// </summary>
public static class ClusterFailures
{
    /// <summary>A few words on what failed on the way to the cluster, for the user; null when the failure is the cluster's answer.</summary>
    public static string? Unavailable(Exception exception)
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
                case JobSpecException or OperationCanceledException:
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
                    return aggregate.InnerExceptions.Select(Unavailable).All(r => r is not null) ? Unavailable(aggregate.InnerExceptions[0]) : null;
            }
        }
        return null;
    }

    /// <summary>
    /// The innermost exception the cluster raised on purpose (its types are in the abstractions, and their messages
    /// are written for users), if any: Orleans wraps what a grain's storage or node said in its own exceptions.
    /// </summary>
    public static Exception? OwnCause(Exception exception)
    {
        Exception? own = null;
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner.GetType().Assembly == typeof(StorageFailedException).Assembly)
            {
                own = inner;
            }
        }
        return own;
    }

    /// <summary>The first line of a message meant for a user: one line is what a user is shown.</summary>
    public static string FirstLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
