using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Orchestrator.Testing;

/// <summary>
/// A real container registry for tests: Debian's <c>docker-registry</c> (the Distribution registry) on a free loopback
/// port, open or behind htpasswd basic auth, with its storage in a folder of its own. Engines treat 127.0.0.0/8 as an
/// insecure registry, so no TLS is needed. Disposing it stops the process, removes every image it pushed from the
/// engine and deletes its folder.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly string _folder;
    private readonly string _dockerEndpoint;
    private readonly List<string> _pushed = [];
    private Process? _process;

    private LocalRegistry(string folder, string dockerEndpoint, int port, string? user, string? password)
    {
        _folder = folder;
        _dockerEndpoint = dockerEndpoint;
        Port = port;
        User = user;
        Password = password;
    }

    public int Port { get; }

    /// <summary>The registry as image references name it: <c>127.0.0.1:PORT</c>.</summary>
    public string Host => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>The one user of a registry with basic auth; null for an open one.</summary>
    public string? User { get; }

    public string? Password { get; }

    /// <summary>Starts a registry; with <paramref name="user"/> and <paramref name="password"/>, one that lets in only them.</summary>
    /// <param name="dockerEndpoint">The engine that pushes to it (and from which <see cref="DisposeAsync"/> removes what it pushed).</param>
    /// <param name="user">The one user basic auth lets in; null for an open registry.</param>
    /// <param name="password">That user's password.</param>
    public static async Task<LocalRegistry> StartAsync(string dockerEndpoint, string? user = null, string? password = null)
    {
        var folder = Directory.CreateTempSubdirectory("orch-registry-").FullName;
        var registry = new LocalRegistry(folder, dockerEndpoint, FreePort.Next(), user, password);
        try
        {
            await registry.LaunchAsync();
            return registry;
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Makes a fresh image — the test image's busybox and a file of its own, so its one layer is new to the registry and
    /// the engine alike and a pull downloads all of it — pushes it here as <paramref name="repository"/>:1, removes it
    /// from the engine, and returns its reference.
    /// </summary>
    public async Task<string> PushFreshImageAsync(string repository)
    {
        var image = $"{Host}/{repository}:1";
        var root = Directory.CreateDirectory(Path.Combine(_folder, "image-" + Guid.NewGuid().ToString("N"))).FullName;
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "www"));
        File.Copy("/bin/busybox", Path.Combine(root, "bin", "busybox"));
        foreach (var command in new[] { "sh", "sleep", "httpd", "cat" })
        {
            File.CreateSymbolicLink(Path.Combine(root, "bin", command), "busybox");
        }
        await File.WriteAllTextAsync(Path.Combine(root, "www", "index.html"), Guid.NewGuid().ToString("N"));
        _pushed.Add(image);
        await HostCommand.RunCheckedAsync("sh", "-c",
            $"tar -C '{root}' -c . | docker -H '{_dockerEndpoint}' import -c 'ENV PATH=/bin' - '{image}'");
        var config = Path.Combine(_folder, "client");
        if (User is not null)
        {
            await HostCommand.RunCheckedAsync("docker", "-H", _dockerEndpoint, "--config", config, "login", "-u", User, "-p", Password!, Host);
        }
        await HostCommand.RunCheckedAsync("docker", "-H", _dockerEndpoint, "--config", config, "push", image);
        await HostCommand.RunCheckedAsync("docker", "-H", _dockerEndpoint, "rmi", image);
        return image;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        foreach (var image in _pushed)
        {
            // Pushed images are removed from the engine again, also those a silo pulled back; gone is fine.
            await HostCommand.RunAsync("docker", "-H", _dockerEndpoint, "rmi", "-f", image);
        }
        Directory.Delete(_folder, recursive: true);
    }

    private async Task LaunchAsync()
    {
        var auth = "";
        if (User is not null)
        {
            var htpasswd = await HostCommand.RunCheckedAsync("htpasswd", "-Bbn", User, Password ?? "");
            await File.WriteAllTextAsync(Path.Combine(_folder, "htpasswd"), htpasswd);
            auth = $"auth: {{htpasswd: {{realm: orch-test, path: {Path.Combine(_folder, "htpasswd")}}}}}\n";
        }
        var config = Path.Combine(_folder, "config.yml");
        await File.WriteAllTextAsync(config,
            $"version: 0.1\nstorage: {{filesystem: {{rootdirectory: {Path.Combine(_folder, "storage")}}}}}\nhttp: {{addr: {Host}}}\n{auth}");
        var start = new ProcessStartInfo("docker-registry")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start docker-registry");
        // Its log is not needed, but an unread pipe would fill and block it.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTimeOffset.UtcNow + StartTimeout;
        while (DateTimeOffset.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var answer = await http.GetAsync(new Uri($"http://{Host}/v2/"));
                if (answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
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
        throw new InvalidOperationException($"docker-registry did not answer on {Host} within {StartTimeout.TotalSeconds} s (exited: {_process.HasExited})");
    }
}
