namespace Orchestrator.Grains.Scheduling;

/// <summary>Normalisations shared by scorers whose raw scores have no fixed range.</summary>
public static class ScoreNormalization
{
    public const double Max = 100;

    /// <summary>
    /// Min-max onto 0–100: the best raw value gets 100, the worst 0. When all are equal every node gets
    /// 100, since none is worse than another.
    /// </summary>
    public static IReadOnlyList<double> MinMax(IReadOnlyList<double> raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Count == 0)
        {
            return [];
        }
        var min = raw.Min();
        var range = raw.Max() - min;
        return range <= 0 ? raw.Select(_ => Max).ToList() : raw.Select(v => Max * (v - min) / range).ToList();
    }
}
