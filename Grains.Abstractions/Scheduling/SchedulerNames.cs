namespace Orchestrator.Abstractions.Scheduling;

/// <summary>The scorers a job may name in its <c>scheduler</c> field.</summary>
public static class SchedulerNames
{
    public const string Epvm = "epvm";
    public const string RoundRobin = "round-robin";
    public const string BinPack = "binpack";
    public const string Spread = "spread";

    public static IReadOnlyList<string> All { get; } = [Epvm, RoundRobin, BinPack, Spread];
}
