using System.Diagnostics;
using Npgsql;
using Orchestrator.Abstractions.Storage;
using Orchestrator.Grains.Telemetry;
using Orleans.Storage;

namespace Orchestrator.Silo.Persistence;

/// <summary>
/// Grain storage that rides out a short database outage: it wraps the PostgreSQL storage and sends a read, write
/// or clear again while the database cannot be reached (restarting, failing over, or handing out pooled
/// connections it closed when it went down), for up to <see cref="DefaultRetryBudget"/>.
/// </summary>
/// <remarks>
/// <para>
/// A grain changes its state in memory before it writes it. When a write or clear fails for good, the
/// grain's memory is ahead of (or, after a lost acknowledgement, behind the version of) what is stored, and
/// every later write would build on that. So the grain is deactivated: its next call activates it again
/// from what is stored. Orleans does this by itself only for an <see cref="InconsistentStateException"/> that
/// escapes a grain call; timers and other failures would leave the activation as it is.
/// </para>
/// <para>
/// The driver's exceptions become <see cref="StorageFailedException"/>, whose type clients know; the
/// original is logged here.
/// </para>
/// </remarks>
internal sealed partial class RetryingGrainStorage(
    IGrainStorage inner,
    string connectionString,
    IGrainContextAccessor grainContexts,
    ILogger<RetryingGrainStorage> logger,
    TimeSpan retryBudget,
    OrchestratorMetrics? metrics = null) : IGrainStorage
{
    /// <summary>
    /// Long enough for PostgreSQL to restart, short enough that the grain call waiting on the write (30 s by
    /// default) hears the reason rather than a timeout.
    /// </summary>
    internal static readonly TimeSpan DefaultRetryBudget = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>Wraps <paramref name="inner"/>, whose connections <paramref name="connectionString"/> describes.</summary>
    public static RetryingGrainStorage Create(IServiceProvider services, IGrainStorage inner, string connectionString) => new(
        inner,
        connectionString,
        services.GetRequiredService<IGrainContextAccessor>(),
        services.GetRequiredService<ILogger<RetryingGrainStorage>>(),
        DefaultRetryBudget,
        services.GetService<OrchestratorMetrics>());

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("read", stateName, grainId, changesState: false, () => inner.ReadStateAsync(stateName, grainId, grainState));

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        RunAsync("read", stateName, grainId, changesState: false, () => inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("write", stateName, grainId, changesState: true, () => inner.WriteStateAsync(stateName, grainId, grainState));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        RunAsync("write", stateName, grainId, changesState: true, () => inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        RunAsync("clear", stateName, grainId, changesState: true, () => inner.ClearStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        RunAsync("clear", stateName, grainId, changesState: true, () => inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken), cancellationToken);

    private async Task RunAsync(string operation, string stateName, GrainId grainId, bool changesState, Func<Task> attempt, CancellationToken cancellationToken = default)
    {
        // Taken before the first await: the activation whose state this is.
        var grain = grainContexts.GrainContext;
        var started = Stopwatch.GetTimestamp();
        for (var attempts = 1; ; attempts++)
        {
            try
            {
                await attempt();
                if (changesState)
                {
                    metrics?.StorageWritten(Stopwatch.GetElapsedTime(started));
                }
                if (attempts > 1)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    LogRecovered(operation, stateName, grainId, attempts, elapsed);
                }
                return;
            }
            catch (Exception e) when (DatabaseFailures.IsUnreachable(e) && Stopwatch.GetElapsedTime(started) < retryBudget && !cancellationToken.IsCancellationRequested)
            {
                if (attempts == 1)
                {
                    LogUnreachable(e, operation, stateName, grainId);
                    // The idle connections of membership and reminders died with the server (or will fail on their
                    // first use after its restart); dropping them spares each of their calls a failure. Grain
                    // state's own pool is dropped by the queue whose batch failed.
                    using var pooled = new NpgsqlConnection(connectionString);
                    NpgsqlConnection.ClearPool(pooled);
                }
                metrics?.StorageRetried();
                await Task.Delay(Delay(attempts), cancellationToken);
            }
            catch (InconsistentStateException e)
            {
                Deactivate(grain, changesState, $"its {operation} of state {stateName} met a newer version: {e.Message}");
                throw;
            }
            catch (Exception e) when (DatabaseFailures.IsDatabase(e))
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                LogFailed(e, operation, stateName, grainId, attempts, elapsed);
                var reason = DatabaseFailures.IsUnreachable(e)
                    ? $"the cluster's database could not be reached for {elapsed.TotalSeconds:0} s ({DatabaseFailures.Describe(e)}); try again once it is back"
                    : $"the cluster's database refused to {operation} state {stateName}: {DatabaseFailures.Describe(e)}";
                Deactivate(grain, changesState, reason);
                throw new StorageFailedException(reason);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Deactivate(grain, changesState, $"its {operation} of state {stateName} failed: {e.Message}");
                throw;
            }
        }
    }

    private void Deactivate(IGrainContext? grain, bool changesState, string reason)
    {
        if (!changesState || grain is null)
        {
            // A failed read changed nothing in memory: the activation fails or stays as it was.
            return;
        }
        LogDeactivating(grain.GrainId, reason);
        grain.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, $"{reason}; its next call reads the state again"), CancellationToken.None);
    }

    private static TimeSpan Delay(int attempts) =>
        // The first retry is immediate: a pooled connection the server closed fails at once and the next one may work.
        attempts == 1 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, 100 * Math.Pow(2, attempts - 1)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unreachable on {Operation} of state {StateName} of {GrainId}; retrying")]
    private partial void LogUnreachable(Exception exception, string operation, string stateName, GrainId grainId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation} of state {StateName} of {GrainId} succeeded at attempt {Attempts}, {Elapsed} after the first")]
    private partial void LogRecovered(string operation, string stateName, GrainId grainId, int attempts, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Operation} of state {StateName} of {GrainId} failed after {Attempts} attempts in {Elapsed}")]
    private partial void LogFailed(Exception exception, string operation, string stateName, GrainId grainId, int attempts, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deactivating {GrainId}: {Reason}")]
    private partial void LogDeactivating(GrainId grainId, string reason);
}
