namespace Orchestrator.Abstractions.Jobs;

/// <summary>The restart policy names a job file may use.</summary>
public static class RestartPolicies
{
    public const string Always = "always";
    public const string OnFailure = "on-failure";
    public const string Never = "never";

    public static IReadOnlyList<string> All { get; } = [Always, OnFailure, Never];
}
