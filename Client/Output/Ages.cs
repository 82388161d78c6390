using System.Globalization;

namespace Orchestrator.Client.Output;

/// <summary>Short human ages like <c>42s</c>, <c>5m</c>, <c>3h</c>, <c>2d</c>, as docker and kubectl print them.</summary>
internal static class Ages
{
    public static string Since(DateTimeOffset time, DateTimeOffset now)
    {
        var age = now - time;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }
        return age switch
        {
            { TotalMinutes: < 1 } => Format(age.TotalSeconds, "s"),
            { TotalHours: < 1 } => Format(age.TotalMinutes, "m"),
            { TotalDays: < 1 } => Format(age.TotalHours, "h"),
            _ => Format(age.TotalDays, "d"),
        };
    }

    /// <summary>An ISO 8601 UTC time to the second, for event lists.</summary>
    public static string Utc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Format(double value, string unit) =>
        ((long)Math.Floor(value)).ToString(CultureInfo.InvariantCulture) + unit;
}
