namespace Orchestrator.Grains.Nodes.Health;

/// <summary>One kind of health check against one container; it bounds its own time and never throws for a failed check.</summary>
public interface IHealthProbe
{
    Task<ProbeResult> CheckAsync(CancellationToken cancellationToken);
}
