using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// Whether a node's engine answers (<see cref="EngineStatus"/>), as its calls find out: a call that times out or finds
/// no engine takes it for unavailable, which is logged once and told to the node directory at once (<c>failed</c>);
/// the next sweep that lists the containers finds it back. Runs the engine calls of callers on other grains.
/// </summary>
public sealed partial class EngineGuard(string node, Action failed, ILogger logger)
{
    private readonly EngineStatus _status = new();

    /// <summary>Why the engine is taken for unavailable, while it is.</summary>
    public string? Fault => _status.Fault;

    /// <summary>When the engine last answered a sweep.</summary>
    public DateTimeOffset AnsweredAt => _status.AnsweredAt;

    /// <summary>Takes the engine for unavailable after <paramref name="e"/>.</summary>
    public void Failed(ContainerRuntimeException e)
    {
        if (_status.Failed(e))
        {
            LogEngineUnavailable(e, node);
        }
        failed();
    }

    /// <summary>The engine answered a sweep.</summary>
    public void Answered()
    {
        if (_status.Answered())
        {
            LogEngineAnswers(node);
        }
    }

    /// <summary>Runs an engine call for a caller on another grain, turning the runtime's exceptions into ones that cross the wire.</summary>
    public async Task<T> CallAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(CancellationToken.None);
        }
        catch (ContainerRuntimeException e) when (EngineStatus.IsEngineFault(e))
        {
            Failed(e);
            throw new EngineUnavailableException($"the engine of node {node} is not answering: {e.Message}");
        }
        catch (ContainerRuntimeException e)
        {
            throw new ContainerEngineException(e.Message);
        }
    }

    /// <inheritdoc cref="CallAsync{T}"/>
    public async Task CallAsync(Func<CancellationToken, Task> call) => await CallAsync(async ct =>
    {
        await call(ct);
        return true;
    });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node}: its engine is not answering; no new task is placed here until it does")]
    private partial void LogEngineUnavailable(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Node}: its engine answers again")]
    private partial void LogEngineAnswers(string node);
}
