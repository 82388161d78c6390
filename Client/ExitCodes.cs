namespace Orchestrator.Client;

/// <summary>The exit codes of the orch command line (docs/CONTRACT.md, Exit codes).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The operation failed, the thing was not found, or the cluster was unreachable.</summary>
    public const int Failed = 1;
    /// <summary>Bad usage or invalid input.</summary>
    public const int Usage = 2;
}
