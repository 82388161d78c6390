namespace Orchestrator.Abstractions.Jobs;

/// <summary>What a scheduled job does when a run falls due while an earlier run of it still runs.</summary>
public static class ConcurrencyPolicies
{
    /// <summary>The run that fell due is skipped (the default): a slow run never piles up behind itself.</summary>
    public const string Forbid = "forbid";

    /// <summary>The run starts beside the earlier one.</summary>
    public const string Allow = "allow";

    public static IReadOnlyList<string> All { get; } = [Forbid, Allow];
}
