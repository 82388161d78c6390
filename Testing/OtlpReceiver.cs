using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Orchestrator.Testing;

/// <summary>
/// The receiving end of OTLP over HTTP, as far as a test needs it: accepts every export posted to <c>/v1/traces</c>
/// and keeps its body. A span's name and its resource's attributes travel as plain strings inside the protobuf, so
/// a test can look for them without decoding the message.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _traces = new();
    private readonly Task _serving;

    private OtlpReceiver(int port)
    {
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    /// <summary>What <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> should say (with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>).</summary>
    public string Endpoint { get; }

    /// <summary>The bodies of the trace exports so far, each read as text.</summary>
    public IReadOnlyList<string> Traces => [.. _traces];

    public static OtlpReceiver Start() => new(FreePort.Next());

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving.ConfigureAwait(false);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using (var body = new MemoryStream())
            {
                await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
                if (context.Request.Url?.AbsolutePath == "/v1/traces")
                {
                    _traces.Enqueue(Encoding.UTF8.GetString(body.ToArray()));
                }
            }
            // An empty 200 is a full success to the exporter: nothing rejected, nothing to send again.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
