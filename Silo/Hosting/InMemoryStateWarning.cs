namespace Orchestrator.Silo.Hosting;

/// <summary>Says loudly, at start, that without <c>ConnectionStrings:Orleans</c> nothing survives this process.</summary>
internal sealed partial class InMemoryStateWarning(ILogger<InMemoryStateWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogInMemory();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "ConnectionStrings:Orleans is not set: running as a single silo with in-memory state; jobs, tasks and nodes are lost when this process ends")]
    private partial void LogInMemory();
}
