using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// Whether a node's engine answers. A call that times out or finds no engine marks it unavailable; the next
/// sweep that lists the containers marks it available again.
/// </summary>
public sealed class EngineStatus
{
    /// <summary>Why the engine is taken for unavailable, while it is.</summary>
    public string? Fault { get; private set; }

    /// <summary>When the engine last answered a sweep.</summary>
    public DateTimeOffset AnsweredAt { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>True when <paramref name="e"/> says the engine itself is sick, not that it refused a request.</summary>
    public static bool IsEngineFault(ContainerRuntimeException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Failure is ContainerRuntimeFailure.Timeout or ContainerRuntimeFailure.Unreachable;
    }

    /// <summary>Marks the engine unavailable; true when it was available until now.</summary>
    public bool Failed(ContainerRuntimeException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var news = Fault is null;
        Fault = e.Failure == ContainerRuntimeFailure.Timeout ? "calls time out" : "unreachable";
        return news;
    }

    /// <summary>Marks the engine available; true when it was unavailable until now.</summary>
    public bool Answered()
    {
        AnsweredAt = DateTimeOffset.UtcNow;
        var news = Fault is not null;
        Fault = null;
        return news;
    }
}
