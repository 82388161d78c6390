using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Bench.Cluster;
using Orchestrator.Silo.Persistence;
using Orchestrator.Silo.Persistence.GroupCommit;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orchestrator.Bench.Storage;

/// <summary>
/// <c>storage [--grains 100] [--seconds 10] [--payload 1024]</c>: grain-state writes, then reads, per second through
/// Orleans' ADO.NET storage and through the group-commit storage (one and two batches in flight), on one throwaway
/// database with the silo's schema and connection limit. Each of <c>--grains</c> grains writes (or reads) its own
/// row again as soon as the last write returns, for <c>--seconds</c> per provider and operation, as the grains of
/// one silo would; no Orleans runtime is involved, only the storage providers.
/// </summary>
internal sealed class StorageScenario(int grains, int seconds, int payload) : IScenario
{
    private const string StateName = "bench";

    public static StorageScenario From(BenchArguments arguments) => new(
        arguments.Int("grains", 100, 1, 10_000), arguments.Int("seconds", 10, 1, 600), arguments.Int("payload", 1024, 0, 1 << 20));

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        await using var database = await BenchDatabase.CreateAsync();
        await PostgresSchema.ApplyAsync(database.ConnectionString, NullLogger.Instance, cancellationToken);
        // What a silo connects with: the pool limit UsePostgres gives a connection string without one.
        var connectionString = PostgresSiloBuilderExtensions.WithDefaultPoolLimit(database.ConnectionString);
        await using var services = new ServiceCollection().AddLogging().AddSerializer().BuildServiceProvider();
        var state = new BenchState { Text = new string('x', payload) };

        var rows = new List<IReadOnlyList<object>>();
        var report = new BenchReport("storage", $"grain storage: {grains} grains writing, then reading, for {seconds} s each");
        await using (var adoNet = await AdoNetStorage.StartAsync(connectionString, cancellationToken))
        {
            await MeasureAsync("adonet", "Orleans ADO.NET storage", adoNet.Storage, null);
        }
        foreach (var inFlight in new[] { 1, 2 })
        {
            await using var queue = new GroupCommitQueue(connectionString, NullLogger<GroupCommitQueue>.Instance, maxConcurrentBatches: inFlight);
            var storage = new GroupCommitGrainStorage(ServiceId($"gc{inFlight}"), queue,
                new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>()), services.GetRequiredService<IActivatorProvider>());
            await MeasureAsync($"gc{inFlight}", $"group commit, {inFlight} batch(es) in flight", storage, queue);
        }

        report.AddTable("runs", "per provider and operation",
            ["provider", "operation", "ops/s", "p50 ms", "p99 ms", "statements/transaction"],
            ["provider", "operation", "per_s", "p50_ms", "p99_ms", "per_transaction"], rows);
        report.Add("grains", grains, "concurrent grains", decimals: 0);
        report.Add("payload_bytes", payload, "state size", "bytes", 0);
        report.Note("one process, no Orleans runtime: the providers are called as a silo's grains would call them, each grain awaiting its last call.");
        report.Note($"connection string as a silo's: at most {PostgresSiloBuilderExtensions.DefaultMaxPoolSize} connections for ADO.NET; the group-commit queue opens one per batch in flight.");
        report.Note("statements/transaction: the queue's committed statements over its batches; the ADO.NET storage commits every call on its own.");
        return report;

        async Task MeasureAsync(string key, string label, IGrainStorage storage, GroupCommitQueue? queue)
        {
            foreach (var operation in new[] { "write", "read" })
            {
                Progress.Say($"{label}: {operation}s of {grains} grains for {seconds} s");
                var (statements, batches) = (queue?.Statements ?? 0, queue?.Batches ?? 0);
                var (count, latencies) = await RunAsync(storage, operation == "write", state, cancellationToken);
                var perTransaction = queue is null ? 1 : (double)(queue.Statements - statements) / Math.Max(1, queue.Batches - batches);
                var perSecond = count / (double)seconds;
                rows.Add([label, operation, perSecond, Statistics.Percentile(latencies, 50), Statistics.Percentile(latencies, 99), perTransaction]);
                report.Add($"{key}_{operation}s_per_s", perSecond, $"{label}: {operation}s", "/s", 0);
            }
        }
    }

    private async Task<(long Count, List<double> LatenciesMs)> RunAsync(IGrainStorage storage, bool write, BenchState state, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var workers = await Task.WhenAll(Enumerable.Range(0, grains).Select(i => Task.Run(async () =>
        {
            var grain = GrainId.Create("bench", $"bench-{i}");
            var grainState = new GrainState<BenchState>(state);
            // Reads find the rows the writes left; a write needs the version a read gives.
            await storage.ReadStateAsync(StateName, grain, grainState);
            grainState.State = state;
            var latencies = new List<double>();
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                if (write)
                {
                    await storage.WriteStateAsync(StateName, grain, grainState);
                }
                else
                {
                    await storage.ReadStateAsync(StateName, grain, new GrainState<BenchState>());
                }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            return latencies;
        }, cancellationToken)));
        cancellationToken.ThrowIfCancellationRequested();
        var all = workers.SelectMany(l => l).ToList();
        return (all.Count, all);
    }

    private static string ServiceId(string provider) => $"bench-{provider}";

    /// <summary>Orleans' ADO.NET grain storage, configured as the silo configured it before group commit, and started.</summary>
    private sealed class AdoNetStorage : IAsyncDisposable
    {
        private readonly ServiceProvider _services;

        private AdoNetStorage(ServiceProvider services, IGrainStorage storage)
        {
            _services = services;
            Storage = storage;
        }

        public IGrainStorage Storage { get; }

        public static async Task<AdoNetStorage> StartAsync(string connectionString, CancellationToken cancellationToken)
        {
            var services = new ServiceCollection()
                .AddLogging()
                .AddSerializer()
                .Configure<ClusterOptions>(o =>
                {
                    o.ServiceId = ServiceId("ado.net");
                    o.ClusterId = "bench";
                });
            services.AddAdoNetGrainStorage("ado.net", options => options.Configure<Serializer>((storage, serializer) =>
            {
                storage.Invariant = PostgresSiloBuilderExtensions.Invariant;
                storage.ConnectionString = connectionString;
                storage.DeleteStateOnClear = true;
                storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
            var provider = services.BuildServiceProvider();
            var storage = provider.GetRequiredKeyedService<IGrainStorage>("ado.net");
            // The storage loads its queries in the silo's lifecycle; this is that lifecycle, with nothing else in it.
            var lifecycle = new SiloLifecycleSubject(NullLogger<SiloLifecycleSubject>.Instance);
            ((ILifecycleParticipant<ISiloLifecycle>)storage).Participate(lifecycle);
            await lifecycle.OnStart(cancellationToken);
            return new AdoNetStorage(provider, storage);
        }

        public ValueTask DisposeAsync() => _services.DisposeAsync();
    }
}
