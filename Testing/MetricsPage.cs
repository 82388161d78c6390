using System.Globalization;

namespace Orchestrator.Testing;

/// <summary><c>GET /metrics</c> of a silo as a caller on loopback without a token reads it, and the samples on it.</summary>
internal static class MetricsPage
{
    /// <summary>
    /// Waits until the page of the silo whose dashboard port is <paramref name="port"/> has a sample of
    /// <paramref name="series"/> (a metric name) with every label of <paramref name="labels"/> and a value of at least
    /// <paramref name="atLeast"/>; returns that value.
    /// </summary>
    public static async Task<double> WaitForSampleAsync(int port, string series, IReadOnlyDictionary<string, string> labels, double atLeast, TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var page = await Poll.WaitForAsync(
            () => http.GetStringAsync(new Uri("metrics", UriKind.Relative)),
            text => Sample(text, series, labels) >= atLeast,
            timeout ?? TimeSpan.FromSeconds(60));
        return Sample(page, series, labels)!.Value;
    }

    /// <summary>The value of the first sample of <paramref name="series"/> carrying every label given, or null.</summary>
    public static double? Sample(string page, string series, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var line in page.Split('\n'))
        {
            // A sample is "series{labels} value" or, without labels, "series value".
            string set, rest;
            if (line.StartsWith(series + "{", StringComparison.Ordinal))
            {
                var close = line.LastIndexOf('}');
                set = line[(series.Length + 1)..close];
                rest = line[(close + 1)..];
            }
            else if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                set = "";
                rest = line[series.Length..];
            }
            else
            {
                continue;
            }
            if (labels.All(l => set.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal)))
            {
                return double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}
