using System.Globalization;

namespace Orchestrator.Grains.Nodes.Health;

/// <summary>
/// <c>health.http</c>: a GET on the host port the container's port is published on; 2xx or 3xx within
/// the timeout is healthy. Redirects are not followed: a 3xx is itself the answer.
/// </summary>
public sealed class HttpHealthProbe(HttpClient http, Uri? target, string path, int containerPort, TimeSpan timeout) : IHealthProbe
{
    public async Task<ProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (target is null)
        {
            return ProbeResult.Fail(string.Create(CultureInfo.InvariantCulture, $"http GET {path}: container port {containerPort} is not published"));
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var response = await http.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return code is >= 200 and < 400
                ? ProbeResult.Pass
                : ProbeResult.Fail(string.Create(CultureInfo.InvariantCulture, $"http GET {path} returned {code}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Fail(string.Create(CultureInfo.InvariantCulture, $"http GET {path} got no answer within {timeout.TotalSeconds:0.###}s"));
        }
        catch (HttpRequestException e)
        {
            return ProbeResult.Fail($"http GET {path} failed: {e.Message}");
        }
    }
}
