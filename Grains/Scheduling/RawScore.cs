namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// A scorer's un-normalised judgement of one node (higher is better), the terms it was computed from,
/// and a tie-break applied only between nodes whose normalised scores are equal (lower wins).
/// </summary>
public sealed record RawScore(double Value, IReadOnlyDictionary<string, double> Parts, double TieBreak = 0);
