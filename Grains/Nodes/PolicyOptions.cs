namespace Orchestrator.Grains.Nodes;

/// <summary><c>Orchestrator:Policy</c>: what jobs may ask for beyond an ordinary container; all false by default.</summary>
public sealed class PolicyOptions
{
    public bool AllowPrivileged { get; set; }
    public bool AllowHostMounts { get; set; }
    public bool AllowHostNetwork { get; set; }
}
