using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Docker.DotNet;
using Orchestrator.Bench.Cluster;
using Orchestrator.Grains.Nodes;
using Orchestrator.Testing;

namespace Orchestrator.Bench.Engine;

/// <summary>
/// <c>engine --containers N [--rounds R]</c>: how long until N busybox <c>sleep 3600</c> containers run on the local
/// engine — raw API calls, through orch (one silo on PostgreSQL), and through Docker Swarm — in rounds whose order
/// rotates, removing everything between runs; medians are reported.
/// </summary>
internal sealed class EngineScenario(int containers, int rounds) : IScenario
{
    public static EngineScenario From(BenchArguments arguments) =>
        new(arguments.Int("containers", null, 1, 1000), arguments.Int("rounds", 3, 1, 100));

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(MainEngine.DefaultEndpoint)).Build();
        var version = await docker.System.GetVersionAsync(cancellationToken);
        await docker.Images.InspectImageAsync(MainEngine.TestImage, cancellationToken);
        var run = RandomNumberGenerator.GetHexString(6, lowercase: true);
        var clusterId = SiloSettings.NewClusterId("bench");
        var results = new List<(int Round, string Mode, StartResult Result)>();
        double? siloPeak = null;

        await using (var database = await BenchDatabase.CreateAsync())
        {
            var silo = await SiloProcess.StartAsync(SiloSettings.ForEngine(database.ConnectionString, clusterId, "bench-node", MainEngine.DefaultEndpoint));
            try
            {
                await using var client = await TestClusterClient.ConnectAsync(silo.GatewayPort, clusterId);
                await using var swarm = await SwarmMode.EnsureAsync();
                IStarter[] starters = [new RawStarter(docker, run), new OrchStarter(client.Client, docker, clusterId), new SwarmStarter(docker, run)];
                foreach (var starter in starters)
                {
                    // One uncounted container each first: connections, JIT and the engine's caches warm for all three alike.
                    var tag = $"{run}-0-{starter.Name}";
                    Progress.Say($"warm-up: {starter.Name} starts 1 container");
                    try
                    {
                        await starter.StartAsync(1, tag, cancellationToken);
                    }
                    finally
                    {
                        await starter.RemoveAsync(tag);
                    }
                }
                for (var round = 1; round <= rounds; round++)
                {
                    // Each round starts with the next starter, so none always runs first on a cold (or last on a warm) engine.
                    foreach (var starter in starters.Skip((round - 1) % starters.Length).Concat(starters.Take((round - 1) % starters.Length)))
                    {
                        var tag = string.Create(CultureInfo.InvariantCulture, $"{run}-{round}-{starter.Name}");
                        Progress.Say($"round {round}/{rounds}: {starter.Name} starts {containers} containers");
                        try
                        {
                            var result = await starter.StartAsync(containers, tag, cancellationToken);
                            results.Add((round, starter.Name, result));
                            Progress.Say($"round {round}/{rounds}: {starter.Name} {result.Seconds:0.000} s (engine saw at most {result.Engine.MaxInFlight} between create and start)");
                        }
                        finally
                        {
                            await starter.RemoveAsync(tag);
                        }
                    }
                }
                siloPeak = silo.ProcessId is { } pid ? ProcessStats.PeakResidentMb(pid) : null;
            }
            finally
            {
                await silo.DisposeAsync();
                // Whatever a killed silo left behind.
                await LabelledContainers.RemoveAsync(docker, $"{ContainerLabels.Cluster}={clusterId}");
                await LabelledContainers.RemoveAsync(docker, $"{RawStarter.RunLabel}={run}");
            }
        }

        return Report(results, version.Version, siloPeak, total.Elapsed);
    }

    private BenchReport Report(List<(int Round, string Mode, StartResult Result)> results, string engineVersion, double? siloPeak, TimeSpan took)
    {
        double Median(string mode, Func<StartResult, double> pick) => Statistics.Median(results.Where(r => r.Mode == mode).Select(r => pick(r.Result)));
        var raw = Median("raw", r => r.Seconds);
        var orch = Median("orch", r => r.Seconds);
        var swarm = Median("swarm", r => r.Seconds);

        var report = new BenchReport("engine", $"engine: time until {containers} containers run (median of {rounds} rounds)");
        report.Add("containers", containers, "containers", decimals: 0);
        report.Add("rounds", rounds, "rounds", decimals: 0);
        report.Add("raw_s", raw, "raw Docker.DotNet create+start", "s", 3);
        report.Add("orch_s", orch, "orch (1 silo, PostgreSQL)", "s", 3);
        report.Add("swarm_s", swarm, "docker service create", "s", 3);
        report.Add("orch_over_raw", orch / raw, "orch / raw", "x", 2);
        report.Add("swarm_over_orch", swarm / orch, "swarm / orch", "x", 2);
        report.Add("orch_first_create_s", Median("orch", r => r.FirstCreateSeconds), "orch: submit to first engine create", "s", 3);
        report.Add("raw_max_inflight", Median("raw", r => r.Engine.MaxInFlight), "raw: most containers between create and start", decimals: 1);
        report.Add("orch_max_inflight", Median("orch", r => r.Engine.MaxInFlight), "orch: most containers between create and start", decimals: 1);
        report.Add("swarm_max_inflight", Median("swarm", r => r.Engine.MaxInFlight), "swarm: most containers between create and start", decimals: 1);
        if (siloPeak is { } peak)
        {
            report.Add("silo_peak_rss_mb", peak, "silo peak RSS (VmHWM)", "MiB", 0);
        }
        report.Add("engine_version", engineVersion, "engine version");
        report.Add("wall_s", took.TotalSeconds, "whole run took", "s", 0);
        report.AddTable("rounds_detail", "rounds (seconds until all run; engine: first create and last start after t0, most in flight)",
            ["round", "mode", "seconds", "first_create", "last_start", "in_flight"],
            ["round", "mode", "seconds", "first_create_s", "last_start_s", "max_inflight"],
            results.Select(r => (IReadOnlyList<object>)
            [
                r.Round, r.Mode, r.Result.Seconds, r.Result.FirstCreateSeconds,
                r.Result.Engine.LastStart is { } last ? (last - r.Result.Began).TotalSeconds : double.NaN,
                r.Result.Engine.MaxInFlight,
            ]));
        report.Note("raw: create+start of all N at once through one Docker.DotNet client, done when the last start call returns.");
        report.Note("orch: submit → every task Running by its own event times; swarm: service CreatedAt → the engine's N-th container start event.");
        report.Note("in flight: containers the engine had created but not yet started at one moment, from its event stream.");
        return report;
    }
}
