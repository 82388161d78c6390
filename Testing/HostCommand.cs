using System.Diagnostics;

namespace Orchestrator.Testing;

/// <summary>Runs a command to its end (a host tool such as <c>ip</c>, <c>kill</c>, <c>umount</c>, or <c>orch</c>) and returns what it printed.</summary>
internal static class HostCommand
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static Task<ProcessResult> RunAsync(string file, params string[] args) => RunAsync(StartInfo(file, args), DefaultTimeout);

    /// <summary>
    /// Starts <paramref name="start"/> with its output read here and its input closed, and waits until it exits; after
    /// <paramref name="timeout"/> it is killed, with what it started, and the wait ends in a <see cref="TimeoutException"/>.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Describe(start)}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(start)} did not finish within {timeout.TotalSeconds} s");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Like <see cref="RunAsync(string, string[])"/>, but a non-zero exit is an error carrying the output.</summary>
    public static Task<string> RunCheckedAsync(string file, params string[] args) => RunCheckedAsync(StartInfo(file, args), DefaultTimeout);

    /// <summary>Like <see cref="RunAsync(ProcessStartInfo, TimeSpan)"/>, but a non-zero exit is an error carrying the output.</summary>
    public static async Task<string> RunCheckedAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        var result = await RunAsync(start, timeout);
        return result.ExitCode == 0
            ? result.StdOut
            : throw new InvalidOperationException($"{Describe(start)} failed: {result}");
    }

    /// <summary><paramref name="file"/> with <paramref name="args"/>, each passed as it is.</summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return start;
    }

    private static string Describe(ProcessStartInfo start) => string.Join(' ', [start.FileName, .. start.ArgumentList]);
}
