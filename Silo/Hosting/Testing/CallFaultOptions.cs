namespace Orchestrator.Silo.Hosting.Testing;

/// <summary>
/// The <c>Orchestrator:Testing:CallFaults</c> section: for fault-injection tests only (the convergence checker).
/// Nothing here is set in a real deployment, and with no rate set the filter is not even registered.
/// </summary>
public sealed class CallFaultOptions
{
    public const string Section = "Orchestrator:Testing:CallFaults";

    /// <summary>The fraction of the orchestrator's grain calls to lose (0 to 1): the request or the reply, half each.</summary>
    public double DropRate { get; set; }

    /// <summary>The fraction of the orchestrator's grain calls to hold back before they are invoked (0 to 1).</summary>
    public double DelayRate { get; set; }

    /// <summary>The longest delay; each delayed call waits a uniform random time up to this.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Seeds the random draws, so that one silo's faults are the same on a replay of the same calls.</summary>
    public int Seed { get; set; }

    /// <summary>
    /// Faults are injected only while this file exists, so a test can turn them on and off without restarting
    /// the silo; unset, they are injected from start to end.
    /// </summary>
    public string? SwitchFile { get; set; }

    /// <summary>True when the section asks for any fault at all.</summary>
    public bool InjectsFaults => DropRate > 0 || DelayRate > 0;
}
