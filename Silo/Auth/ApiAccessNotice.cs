namespace Orchestrator.Silo.Auth;

/// <summary>Says at start who the HTTP API lets in, so that an operator who configured no token knows it is loopback only.</summary>
internal sealed partial class ApiAccessNotice(ApiTokens tokens, ILogger<ApiAccessNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (tokens.IsEmpty)
        {
            LogLoopbackOnly(ApiTokens.Section);
        }
        else
        {
            var named = string.Join(", ", tokens.All.Select(t => $"{t.Name} ({t.Role})"));
            LogTokens(tokens.All.Count, named);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API token is configured ({Section}): the HTTP API at /v1 answers only callers on loopback, as admin")]
    private partial void LogLoopbackOnly(string section);

    [LoggerMessage(Level = LogLevel.Information, Message = "The HTTP API at /v1 accepts {Count} bearer tokens: {Tokens}")]
    private partial void LogTokens(int count, string tokens);
}
