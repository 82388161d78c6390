using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Orchestrator.Testing;

/// <summary>
/// A PostgreSQL server of one test's own, in a temporary folder, on a free loopback port with trust auth, so
/// that the test may stop and start it (a database outage) without touching the server other tests share.
/// Disposing always stops the server and deletes its folder.
/// </summary>
/// <remarks>
/// The server refuses to run as root, so its tools run as the <c>postgres</c> user (<c>runuser</c>), from
/// <c>/</c> (a folder that user may enter), on the newest server binaries under <c>/usr/lib/postgresql</c>.
/// </remarks>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private const string ServerUser = "postgres";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    private readonly string _root;
    private readonly string _bin;

    private PrivatePostgres(string root, string bin, int port)
    {
        _root = root;
        _bin = bin;
        Port = port;
        AdminConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = ServerUser,
        }.ConnectionString;
    }

    public int Port { get; }

    /// <summary>A superuser connection string, e.g. for <see cref="ThrowawayDatabase"/>.</summary>
    public string AdminConnectionString { get; }

    /// <summary>False from <see cref="StopAsync"/> until the next <see cref="StartAsync"/>.</summary>
    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");

    private string LogPath => Path.Combine(_root, "postgres.log");

    /// <summary>Makes a new database cluster in a temporary folder and starts a server on it.</summary>
    public static async Task<PrivatePostgres> CreateAsync()
    {
        var bin = BinDirectory();
        var root = Directory.CreateTempSubdirectory("orch-pg-").FullName;
        var server = new PrivatePostgres(root, bin, FreePort.Next());
        try
        {
            // The folder is root's; the server user must reach into it and own what it writes there.
            await RunCheckedAsync("chmod", "711", root);
            Directory.CreateDirectory(server.DataDirectory);
            File.WriteAllText(server.LogPath, "");
            await RunCheckedAsync("chown", ServerUser, server.DataDirectory, server.LogPath);
            await server.RunToolAsync("initdb", "-D", server.DataDirectory, "-A", "trust", "-U", ServerUser, "--no-sync");
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server on its existing data (after <see cref="StopAsync"/>) and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {Port} -c listen_addresses=127.0.0.1 -k /tmp -c fsync=off");
        await RunToolAsync("pg_ctl", "-D", DataDirectory, "-l", LogPath, "-o", options, "-w", "-t", "60", "start");
        IsRunning = true;
    }

    /// <summary>
    /// Stops the server: <c>fast</c> ends every session and shuts down cleanly, <c>immediate</c> quits at once,
    /// as a crash would (the next start recovers from the WAL).
    /// </summary>
    public async Task StopAsync(PostgresStopMode mode = PostgresStopMode.Fast)
    {
        var modeName = mode == PostgresStopMode.Immediate ? "immediate" : "fast";
        await RunToolAsync("pg_ctl", "-D", DataDirectory, "-m", modeName, "-w", "-t", "60", "stop");
        IsRunning = false;
        // This process's pooled admin connections died with the server; the next use must open new ones.
        using var pooled = new NpgsqlConnection(AdminConnectionString);
        NpgsqlConnection.ClearPool(pooled);
    }

    /// <summary>The server's log, for failure messages.</summary>
    public string LogTail(int lines = 40) =>
        File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(lines)) : "";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunToolAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop");
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Not running, or not answering: the postmaster's pid is in its pid file.
            KillPostmaster();
        }
        IsRunning = false;
        Directory.Delete(_root, recursive: true);
    }

    private void KillPostmaster()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }
        try
        {
            using var postmaster = Process.GetProcessById(pid);
            postmaster.Kill(entireProcessTree: true);
            postmaster.WaitForExit(10_000);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
    }

    private Task<string> RunToolAsync(string tool, params string[] args) =>
        RunCheckedAsync("runuser", ["-u", ServerUser, "--", Path.Combine(_bin, tool), .. args]);

    private static Task<string> RunCheckedAsync(string file, params string[] args)
    {
        var start = HostCommand.StartInfo(file, args);
        // The server user may not enter the test's working folder; tools that chdir back to it would fail.
        start.WorkingDirectory = "/";
        return HostCommand.RunCheckedAsync(start, ToolTimeout);
    }

    private static string BinDirectory()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(dir => File.Exists(Path.Combine(dir, "pg_ctl")))
                .OrderBy(dir => int.TryParse(Path.GetFileName(Path.GetDirectoryName(dir)), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0)
                .LastOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries are missing (no /usr/lib/postgresql/*/bin/pg_ctl): install the postgresql package");
    }
}
