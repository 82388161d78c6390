namespace Orchestrator.Bench.Engine;

/// <summary>One way of getting N sleeping containers running on the engine: raw API calls, orch, or Swarm.</summary>
internal interface IStarter
{
    string Name { get; }

    /// <summary>Starts <paramref name="count"/> containers labelled with <paramref name="tag"/> and returns once all run.</summary>
    Task<StartResult> StartAsync(int count, string tag, CancellationToken cancellationToken);

    /// <summary>Removes everything <see cref="StartAsync"/> made for <paramref name="tag"/>, and waits until it is gone.</summary>
    Task RemoveAsync(string tag);
}
