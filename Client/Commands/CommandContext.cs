using System.Diagnostics;
using System.Globalization;
using System.Net;
using Orchestrator.Client.Connection;
using Orchestrator.Client.Output;
using Orchestrator.Security;
using Spectre.Console;

namespace Orchestrator.Client.Commands;

/// <summary>
/// What a running command works with: where to write, whether to write JSON, and the cluster, reached through
/// <see cref="CallAsync{T}"/> so that a silo's death or a dropped gateway costs a retry, not the command.
/// </summary>
internal sealed class CommandContext(
    CliConsole console,
    bool json,
    IReadOnlyList<IPEndPoint> gateways,
    ClusterIdentity identity,
    TlsCredentials? tls,
    TimeSpan retryBudget,
    CancellationToken cancellationToken) : IAsyncDisposable
{
    private IAnsiConsole? _ansi;
    private ClusterConnection? _connection;

    public CliConsole Console { get; } = console;

    public bool Json { get; } = json;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Tables and live displays over stdout.</summary>
    public IAnsiConsole Ansi => _ansi ??= Console.CreateAnsiConsole();

    /// <summary>
    /// Runs <paramref name="call"/> against the cluster; when it fails transiently (<see cref="RetryPolicy"/>), runs it
    /// again, with a progress line on stderr, until it succeeds or the retry budget since this call began is spent.
    /// The call must be safe to repeat.
    /// </summary>
    public Task<T> CallAsync<T>(Func<IClusterClient, Task<T>> call) => RetryAsync(call, boundedAttempts: true);

    /// <summary>
    /// Like <see cref="CallAsync{T}"/> for a call that streams for as long as it likes (a follow): no attempt is cut
    /// short, and the retry budget counts from the first failure.
    /// </summary>
    public Task<T> StreamAsync<T>(Func<IClusterClient, Task<T>> stream) => RetryAsync(stream, boundedAttempts: false);

    public void WriteJson<T>(T value) => JsonOutput.Write(Console.Out, value);

    /// <summary>Writes each item of <paramref name="feed"/> as it comes, until the feed ends or Ctrl-C, which is how a follow ends.</summary>
    public async Task<int> FollowAsync<T>(IAsyncEnumerable<T> feed, Action<T> write)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(write);
        try
        {
            await foreach (var item in feed.ConfigureAwait(false))
            {
                write(item);
            }
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }

    /// <summary>A plain line on stdout (never with <c>--json</c>).</summary>
    public void WriteLine(string line) => Console.Out.WriteLine(line);

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    private async Task<T> RetryAsync<T>(Func<IClusterClient, Task<T>> call, bool boundedAttempts)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? outageStarted = boundedAttempts ? TimeSpan.Zero : null;
        while (true)
        {
            string reason;
            try
            {
                // One client for the whole command: Orleans routes around a dead gateway by itself, trying the next one
                // of the static list, so a failed call needs a new attempt, not a new client.
                // Connecting counts against the budget too: a connection no gateway answers in time is retried.
                _connection ??= await ClusterConnection.ConnectAsync(gateways, identity, tls, Remaining(clock, outageStarted ?? TimeSpan.Zero), CancellationToken).ConfigureAwait(false);
                var attempt = call(_connection.Client);
                return outageStarted is { } since
                    ? await attempt.WaitAsync(Remaining(clock, since), CancellationToken).ConfigureAwait(false)
                    : await attempt.WaitAsync(CancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!CancellationToken.IsCancellationRequested && RetryPolicy.Reason(e) is { } transient)
            {
                reason = transient;
            }
            outageStarted ??= clock.Elapsed;
            var spent = clock.Elapsed - outageStarted.Value;
            if (spent + RetryPolicy.Delay >= retryBudget)
            {
                throw CommandFailedException.Failed(string.Create(
                    CultureInfo.InvariantCulture,
                    $"gave up after {retryBudget.TotalSeconds:0} s of retries through {string.Join(", ", gateways)}: {reason}"));
            }
            Console.WriteProgress(string.Create(
                CultureInfo.InvariantCulture,
                $"{reason}; retrying ({spent.TotalSeconds:0} s of {retryBudget.TotalSeconds:0} s)"));
            await Task.Delay(RetryPolicy.Delay, CancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Remaining(Stopwatch clock, TimeSpan since)
    {
        var left = retryBudget - (clock.Elapsed - since);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
