using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// One real silo (a simulated machine, in-memory state, so no engine or database) serving the HTTP API on a free
/// loopback port, with a token of each role; the operate token is configured by its SHA-256, as a file would hold it.
/// </summary>
public sealed class ApiSiloFixture : IAsyncLifetime
{
    public const string ReadToken = "read-secret-0123456789";
    public const string OperateToken = "operate-secret-0123456789";
    public const string AdminToken = "admin-secret-0123456789";

    private readonly string _workDir = Directory.CreateTempSubdirectory("orch-api-").FullName;
    private SiloProcess? _silo;

    internal string ClusterId { get; } = SiloSettings.NewClusterId("api");

    internal int ApiPort { get; } = FreePort.Next();

    internal SiloProcess Silo => _silo!;

    internal string WorkDir => _workDir;

    public async Task InitializeAsync()
    {
        var settings = Settings(ClusterId, "api-a", ApiPort);
        settings["Auth:Tokens:viewer:Secret"] = ReadToken;
        settings["Auth:Tokens:viewer:Role"] = "read";
        settings["Auth:Tokens:ci:SecretSha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(OperateToken)));
        settings["Auth:Tokens:ci:Role"] = "operate";
        settings["Auth:Tokens:boss:Secret"] = AdminToken;
        settings["Auth:Tokens:boss:Role"] = "admin";
        _silo = await StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        Directory.Delete(_workDir, recursive: true);
    }

    /// <summary>A silo of <paramref name="clusterId"/> on a simulated machine with the API on <paramref name="apiPort"/> and no token.</summary>
    internal static Dictionary<string, string> Settings(string clusterId, string node, int apiPort)
    {
        var settings = SiloSettings.For(null, clusterId, node);
        settings["Orchestrator:Runtime"] = "simulated";
        settings["Dashboard:Port"] = apiPort.ToString(CultureInfo.InvariantCulture);
        return settings;
    }

    /// <summary>
    /// Starts a silo and waits until its API answers as well: Kestrel may start listening a moment after the node is
    /// up, which is all <see cref="SiloProcess.StartAsync"/> waits for.
    /// </summary>
    internal static async Task<SiloProcess> StartAsync(Dictionary<string, string> settings)
    {
        var silo = await SiloProcess.StartAsync(settings);
        var port = int.Parse(settings["Dashboard:Port"], CultureInfo.InvariantCulture);
        using var http = Client(port, token: null);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var document = await http.GetAsync(new Uri("v1/openapi.json", UriKind.Relative));
                if (document.IsSuccessStatusCode)
                {
                    return silo;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                await silo.DisposeAsync();
                throw new TimeoutException($"the API on port {port} did not answer; silo log:\n{silo.Log}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>A client of the API on <paramref name="apiPort"/> that sends <paramref name="token"/>, if any, with every request.</summary>
    internal static HttpClient Client(int apiPort, string? token)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}/"), Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }
}
