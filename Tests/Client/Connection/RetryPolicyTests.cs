using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Client;
using Orchestrator.Client.Connection;
using Orleans.Runtime.Messaging;
using Xunit;

namespace Orchestrator.Tests.Client.Connection;

/// <summary>The classifier behind orch's retries: what the Orleans 10 client throws when a silo or a gateway dies is transient; the cluster's answers are not.</summary>
public sealed class RetryPolicyTests
{
    public static TheoryData<string, Exception> Transient => new()
    {
        { "a call to a grain on a silo that died", new SiloUnavailableException("The target silo became unavailable for message: Request [...]") },
        { "a message rejected on the way", Internal<OrleansMessageRejectionException>("Unable to send request - no rejection info available") },
        { "no gateway to send through", new ConnectionFailedException("Unable to connect to 127.0.0.1:30001, will retry after 1000ms") },
        { "a gateway shedding load", new GatewayTooBusyException() },
        { "Orleans' response timeout", new TimeoutException("Response did not arrive on time in 00:00:30 for message: Request [...]") },
        { "a connection aborted", new ConnectionAbortedException("The connection was aborted") },
        { "a connection reset", new ConnectionResetException("Connection reset by peer") },
        { "a refused socket", new SocketException((int)SocketError.ConnectionRefused) },
        { "a gateway that lost this client", Internal<ClientNotAvailableException>("client gone") },
        { "a socket error inside an Orleans exception", new OrleansException("send failed", new SocketException((int)SocketError.ConnectionReset)) },
        { "all of a WhenAll's failures transient", new AggregateException(new SiloUnavailableException(), new TimeoutException()) },
    };

    public static TheoryData<string, Exception> NotTransient => new()
    {
        { "a job that does not exist", CommandFailedException.NotFound("no job named 'web'") },
        { "an invalid spec", new JobSpecException("replicas: must be an integer from 0 to 10000 (got -1)") },
        { "a missing log", new KeyNotFoundException("no container for task web-0") },
        { "a grain's own error", new InvalidOperationException("the node is draining") },
        { "an Orleans error that is not about the way there", new OrleansException("something else") },
        { "Ctrl-C", new OperationCanceledException() },
        { "an answer wrapping a timeout", new CommandFailedException("the job failed", new TimeoutException()) },
        { "some of a WhenAll's failures are answers", new AggregateException(new SiloUnavailableException(), new InvalidOperationException("no")) },
    };

    [Theory]
    [MemberData(nameof(Transient))]
    public void Failures_on_the_way_to_the_cluster_are_transient(string what, Exception failure)
    {
        Assert.True(RetryPolicy.IsTransient(failure), what);
        Assert.DoesNotContain("Exception", RetryPolicy.Reason(failure), StringComparison.Ordinal);
        Assert.DoesNotContain("Orleans", RetryPolicy.Reason(failure), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(NotTransient))]
    public void The_clusters_answers_are_not_retried(string what, Exception failure)
    {
        Assert.False(RetryPolicy.IsTransient(failure), what);
        Assert.Null(RetryPolicy.Reason(failure));
    }

    // Orleans makes these two with internal constructors only; the client meets them all the same.
    private static T Internal<T>(string message) where T : Exception =>
        (T)Activator.CreateInstance(typeof(T), BindingFlags.Instance | BindingFlags.NonPublic, binder: null, [message], culture: null)!;
}
