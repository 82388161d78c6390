using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Orchestrator.Operations.Failures;

namespace Orchestrator.Silo.Discovery;

/// <summary>
/// The silo's DNS server for the <c>orch</c> zone (<c>Dns:Port</c>), over UDP and TCP with ARSoft.Tools.Net: each
/// question is answered by <see cref="ServiceDnsAnswers"/> from the job's endpoints (<see cref="EndpointCache"/>).
/// Authoritative for its zone, recursive for nothing: a question about any other name is refused.
/// </summary>
internal sealed partial class ServiceDnsServer(IPEndPoint endpoint, EndpointCache cache, ILogger<ServiceDnsServer> logger) : IHostedService, IDisposable
{
    private const int TimeoutMilliseconds = 5000;
    private const int TcpKeepAliveMilliseconds = 5000;

    private DnsServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _server = new DnsServer(
            new UdpServerTransport(endpoint, TimeoutMilliseconds),
            new TcpServerTransport(endpoint, TimeoutMilliseconds, TcpKeepAliveMilliseconds));
        _server.QueryReceived += AnswerAsync;
        _server.ExceptionThrown += (_, e) =>
        {
            LogFailed(logger, e.Exception);
            return Task.CompletedTask;
        };
        _server.Start();
        LogListening(logger, endpoint);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _server?.Stop();
        return Task.CompletedTask;
    }

    public void Dispose() => ((IDisposable?)_server)?.Dispose();

    private async Task AnswerAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage query)
        {
            return;
        }
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = false;
        if (query.Questions.Count != 1)
        {
            response.ReturnCode = ReturnCode.FormatError;
            e.Response = response;
            return;
        }
        var question = query.Questions[0];
        try
        {
            var endpoints = ServiceName.Parse(question.Name) is { } name ? await cache.GetAsync(name.Job).ConfigureAwait(false) : null;
            var answer = ServiceDnsAnswers.Answer(question, endpoints);
            response.ReturnCode = answer.Code;
            response.IsAuthoritiveAnswer = answer.Code != ReturnCode.Refused;
            response.AnswerRecords.AddRange(answer.Answers);
            response.AdditionalRecords.AddRange(answer.Additional);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A resolver asks again, or asks another silo; the cluster cannot answer now (a silo dying, the database
            // down), or this is a fault of our own, which the log shows.
            if (ClusterFailures.Unavailable(exception) is { } reason)
            {
                LogUnanswered(logger, question.Name, reason);
            }
            else
            {
                LogAnswerFailed(logger, exception, question.Name);
            }
            response.ReturnCode = ReturnCode.ServerFailure;
        }
        e.Response = response;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DNS for the orch zone on {Endpoint} (UDP and TCP)")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The DNS server failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DNS question about {Name} not answered")]
    private static partial void LogAnswerFailed(ILogger logger, Exception exception, DomainName name);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DNS question about {Name} not answered: {Reason}")]
    private static partial void LogUnanswered(ILogger logger, DomainName name, string reason);
}
