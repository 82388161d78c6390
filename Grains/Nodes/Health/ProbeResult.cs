namespace Orchestrator.Grains.Nodes.Health;

/// <summary>One health check's answer: passed, or failed saying how (e.g. "http GET /missing returned 404").</summary>
public sealed record ProbeResult(bool Healthy, string? Failure)
{
    public static ProbeResult Pass { get; } = new(true, null);

    public static ProbeResult Fail(string failure) => new(false, failure);
}
