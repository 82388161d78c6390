using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Orchestrator.Testing;

/// <summary>
/// A real Prometheus server for tests (Debian's <c>prometheus</c>) on a free loopback port, scraping the given
/// <c>/metrics</c> targets every second with a bearer token, its data in a folder of its own. Like the README's scrape
/// config it honours the targets' labels, so that <c>orch_tasks</c>' own <c>job</c> label is not renamed <c>exported_job</c>. Disposing it stops the
/// process and deletes the folder.
/// </summary>
public sealed class LocalPrometheus : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string _folder;
    private readonly HttpClient _http;
    private Process? _process;

    private LocalPrometheus(string folder, int port)
    {
        _folder = folder;
        _http = new HttpClient { BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Starts a server that scrapes <c>http://TARGET/metrics</c> of each of <paramref name="targets"/> (<c>HOST:PORT</c>) every second.</summary>
    public static async Task<LocalPrometheus> StartAsync(IEnumerable<string> targets, string bearerToken)
    {
        var folder = Directory.CreateTempSubdirectory("orch-prometheus-").FullName;
        var prometheus = new LocalPrometheus(folder, FreePort.Next());
        try
        {
            await prometheus.LaunchAsync(targets, bearerToken);
            return prometheus;
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
    }

    /// <summary>The instant vector <paramref name="query"/> evaluates to now: each series' labels and value.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string query)
    {
        using var answer = await _http.GetAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(query), UriKind.Relative));
        var body = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"prometheus refused query {query}: {body}");
        }
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(series => (
                (IReadOnlyDictionary<string, string>)series.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                double.Parse(series.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToArray();
    }

    /// <summary>The state of every target's last scrape (<c>up</c>, the error), for a failure message.</summary>
    public async Task<string> TargetsAsync() => await _http.GetStringAsync(new Uri("api/v1/targets", UriKind.Relative));

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task LaunchAsync(IEnumerable<string> targets, string bearerToken)
    {
        var tokenFile = Path.Combine(_folder, "token");
        await File.WriteAllTextAsync(tokenFile, bearerToken);
        var config = Path.Combine(_folder, "prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global: {scrape_interval: 1s, scrape_timeout: 1s}
            scrape_configs:
              - job_name: orch
                honor_labels: true
                authorization: {credentials_file: {{tokenFile}}}
                static_configs:
                  - targets: [{{string.Join(", ", targets.Select(t => $"'{t}'"))}}]
            """);
        var start = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--config.file={config}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(_folder, "data")}");
        start.ArgumentList.Add($"--web.listen-address={_http.BaseAddress!.Authority}");
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start prometheus");
        // Its log is not needed, but an unread pipe would fill and block it.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTimeOffset.UtcNow + StartTimeout;
        while (DateTimeOffset.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var answer = await _http.GetAsync(new Uri("-/ready", UriKind.Relative));
                if (answer.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException(_process.HasExited
            ? $"prometheus exited at start with code {_process.ExitCode}"
            : $"prometheus did not answer within {StartTimeout.TotalSeconds} s");
    }
}
