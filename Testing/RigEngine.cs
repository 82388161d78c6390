using System.Diagnostics;
using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Orchestrator.Testing;

/// <summary>
/// One simulated machine's Docker engine in an <see cref="EngineRig"/>: its own dockerd with its own data root,
/// exec root, socket and bridge. Containers publish ports on 127.0.0.1 as on the main engine.
/// </summary>
/// <remarks>Not safe for concurrent <see cref="StartAsync"/>/<see cref="StopAsync"/> calls; tests drive one engine at a time.</remarks>
public sealed class RigEngine
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Long enough for dockerd to stop its containers, which wait 10 s before SIGKILL by default.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>At disposal the containers are already removed, so a dockerd that lingers is killed sooner.</summary>
    private static readonly TimeSpan DisposeStopTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly int _subnetOctet;
    private Process? _daemon;

    internal RigEngine(int index, string directory, string bridge, int subnetOctet)
    {
        Index = index;
        Name = string.Create(CultureInfo.InvariantCulture, $"node-{index}");
        Directory = directory;
        Bridge = bridge;
        _subnetOctet = subnetOctet;
        Endpoint = $"unix://{Path.Combine(directory, "docker.sock")}";
        Client = new DockerClientBuilder().WithEndpoint(new Uri(Endpoint)).Build();
    }

    /// <summary>1 for the first engine of the rig.</summary>
    public int Index { get; }

    /// <summary>The simulated machine's name, <c>node-</c> and <see cref="Index"/>: use it as the silo's node name.</summary>
    public string Name { get; }

    /// <summary>The engine's Docker endpoint, <c>unix:///tmp/orch-rig-XXXX/eN/docker.sock</c>.</summary>
    public string Endpoint { get; }

    /// <summary>A client of this engine; it keeps working across <see cref="StopAsync"/> and <see cref="StartAsync"/>.</summary>
    public DockerClient Client { get; }

    /// <summary>The Linux bridge the engine's containers attach to.</summary>
    public string Bridge { get; }

    /// <summary>The bridge's own address, e.g. <c>172.30.57.1/24</c>.</summary>
    public string BridgeAddress => RigBridges.GatewayCidr(_subnetOctet);

    /// <summary>
    /// The bridge's own address without its prefix, <c>172.30.57.1</c>: an address of the host that this engine's
    /// containers, every other engine's containers and the host itself all reach, as a machine's LAN address is.
    /// </summary>
    public IPAddress Gateway => RigBridges.Gateway(_subnetOctet);

    /// <summary>The folder holding data, exec root, socket, pid file and log of this engine alone.</summary>
    public string Directory { get; }

    public string LogPath => Path.Combine(Directory, "dockerd.log");

    public bool IsRunning => _daemon is { HasExited: false };

    /// <summary>dockerd's process id while it runs.</summary>
    public int? ProcessId => IsRunning ? _daemon!.Id : null;

    private string PidFile => Path.Combine(Directory, "docker.pid");

    /// <summary>
    /// Starts dockerd on the same data root as before, as a machine's engine comes back after a restart, and
    /// waits until it answers. Does nothing while it runs.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }
        _daemon?.Dispose();
        _daemon = null;
        // dockerd refuses to start while a pid file of a dead daemon is left over.
        File.Delete(PidFile);

        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        // exec: the process we hold is dockerd itself, writing straight to its log, with no pipe to this process.
        start.ArgumentList.Add("exec \"$@\" >>\"$ORCH_RIG_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add("sh");
        foreach (var arg in DaemonArguments())
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ORCH_RIG_LOG"] = LogPath;
        _daemon = Process.Start(start) ?? throw new InvalidOperationException("could not start dockerd");

        var deadline = DateTime.UtcNow + StartTimeout;
        while (!await AnswersAsync(cancellationToken))
        {
            if (_daemon.HasExited)
            {
                throw new InvalidOperationException($"dockerd of {Name} exited with {_daemon.ExitCode} during start-up; log:\n{LogTail()}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"dockerd of {Name} did not answer within {StartTimeout.TotalSeconds} s; log:\n{LogTail()}");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>
    /// Stops dockerd with SIGTERM, as a machine's engine is stopped for a restart, and waits until it has exited:
    /// it first stops its containers (SIGTERM, SIGKILL 10 s later unless they set another stop timeout).
    /// A dockerd still running after 30 s is killed.
    /// </summary>
    public Task StopAsync() => StopDaemonAsync(StopTimeout);

    /// <summary>Sends SIGKILL to every running container, as if the machine died, and waits until none runs.</summary>
    public async Task KillAllContainersAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = Timeout(cancellationToken);
        var running = await Client.Containers.ListContainersAsync(new ContainersListParameters(), timeout.Token);
        await Task.WhenAll(running.Select(async c =>
        {
            try
            {
                await Client.Containers.KillContainerAsync(c.ID, new ContainerKillParameters { Signal = "KILL" }, timeout.Token);
            }
            catch (DockerApiException e) when (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.Conflict)
            {
                // Gone or stopped meanwhile.
            }
        }));
        while ((await Client.Containers.ListContainersAsync(new ContainersListParameters(), timeout.Token)).Count > 0)
        {
            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>Force-removes every container on this engine, running or not, with its volumes.</summary>
    public async Task RemoveAllContainersAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = Timeout(cancellationToken);
        var all = await Client.Containers.ListContainersAsync(new ContainersListParameters { All = true }, timeout.Token);
        await Task.WhenAll(all.Select(async c =>
        {
            try
            {
                await Client.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, timeout.Token);
            }
            catch (DockerContainerNotFoundException)
            {
                // Gone already.
            }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // Being removed already (e.g. by --rm).
            }
        }));
    }

    /// <summary>The last lines dockerd logged, for failure messages.</summary>
    public string LogTail(int lines = 40)
    {
        try
        {
            return string.Join('\n', File.ReadLines(LogPath).TakeLast(lines));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(no log: {e.Message})";
        }
    }

    /// <summary>Makes the folders, starts dockerd and loads the image archive into it; the bridge must exist.</summary>
    internal async Task SetUpAsync(string imageArchive, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        // An empty config file, so that a daemon.json in /etc/docker cannot change these engines.
        await File.WriteAllTextAsync(Path.Combine(Directory, "daemon.json"), "{}", cancellationToken);
        await StartAsync(cancellationToken);

        using var timeout = Timeout(cancellationToken);
        await using (var archive = File.OpenRead(imageArchive))
        {
            await Client.Images.LoadImageAsync(new ImageLoadParameters { Quiet = true }, archive, new Progress<JSONMessage>(), timeout.Token);
        }
        await Client.Images.InspectImageAsync(MainEngine.TestImage, timeout.Token);
    }

    /// <summary>Removes the containers and stops dockerd, recording what failed and going on; safe to call twice.</summary>
    internal async Task ShutDownAsync(List<Exception> problems)
    {
        if (IsRunning)
        {
            try
            {
                // Removed first, so that dockerd does not spend its shutdown stopping them.
                await RemoveAllContainersAsync();
            }
            catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                lock (problems)
                {
                    problems.Add(new InvalidOperationException($"could not remove the containers of {Name}", e));
                }
            }
        }
        try
        {
            await StopDaemonAsync(DisposeStopTimeout);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            lock (problems)
            {
                problems.Add(e);
            }
        }
        _daemon?.Dispose();
        _daemon = null;
        Client.Dispose();
    }

    private async Task StopDaemonAsync(TimeSpan grace)
    {
        if (_daemon is not { } daemon || daemon.HasExited)
        {
            return;
        }
        await HostCommand.RunAsync("kill", "-TERM", daemon.Id.ToString(CultureInfo.InvariantCulture));
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await daemon.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            daemon.Kill();
            using var killed = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await daemon.WaitForExitAsync(killed.Token);
        }
    }

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await Client.System.PingAsync(attempt.Token);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or DockerApiException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private IEnumerable<string> DaemonArguments() =>
    [
        "dockerd",
        "--config-file", Path.Combine(Directory, "daemon.json"),
        "--data-root", Path.Combine(Directory, "data"),
        "--exec-root", Path.Combine(Directory, "exec"),
        "--pidfile", PidFile,
        "-H", Endpoint,
        "--storage-driver=vfs",
        // Never --bridge=none: at start-up that deletes docker0, which the main engine needs.
        $"--bridge={Bridge}",
        // The main engine owns the host's iptables rules; published ports work through the userland proxy.
        "--iptables=false",
    ];

    private static CancellationTokenSource Timeout(CancellationToken cancellationToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(CallTimeout);
        return cts;
    }
}
