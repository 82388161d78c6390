using System.Diagnostics;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Bench.Cluster;
using Orchestrator.Testing;

namespace Orchestrator.Bench.Failover;

/// <summary>
/// <c>failover [--replicas 6]</c>: three silo processes on three Docker engines of an <see cref="EngineRig"/>, on
/// PostgreSQL, with the membership settings the silo ships. A job of web servers spread over the three; then one
/// machine dies: its silo gets SIGKILL and its containers are killed. Measured: seconds from the kill until every
/// replica of the dead machine runs elsewhere, by the replacement tasks' own Running events.
/// </summary>
internal sealed class FailoverScenario(int replicas) : IScenario
{
    private const int Machines = 3;
    private const string Job = "web";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static FailoverScenario From(BenchArguments arguments) => new(arguments.Int("replicas", 6, Machines, 300));

    public async Task<BenchReport> RunAsync(CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var clusterId = SiloSettings.NewClusterId("bench");
        await using var database = await BenchDatabase.CreateAsync();
        Progress.Say($"starting {Machines} Docker engines");
        await using var rig = await EngineRig.StartAsync(Machines, cancellationToken);
        var silos = new List<SiloProcess>();
        try
        {
            silos.AddRange(await Task.WhenAll(rig.Engines.Select(e =>
            {
                var settings = SiloSettings.ForEngine(database.ConnectionString, clusterId, e.Name, e.Endpoint);
                settings["Orchestrator:DefaultScheduler"] = "spread";
                // The silos are younger than the restart grace at the kill: without this the grace would be measured, not failover.
                settings["Orchestrator:NodeRestartGrace"] = "00:00:00";
                return SiloProcess.StartAsync(settings);
            })));
            var victim = rig.Engines[^1];
            // The client reaches the cluster through the survivors only, as a user's would after the loss.
            await using var client = await TestClusterClient.ConnectAsync(silos.Take(Machines - 1).Select(s => s.GatewayPort).ToArray(), clusterId);
            var grains = client.Client;

            Progress.Say($"running {replicas} web servers");
            await grains.GetJob(Job).SubmitAsync(BenchJobs.WebServers(Job, replicas));
            var before = await BenchJobs.WaitAsync(grains, Job, AllRunning(), TimeSpan.FromMilliseconds(200), Timeout, cancellationToken);
            var lost = before.Where(t => t.Node == victim.Name).ToArray();
            if (lost.Length == 0)
            {
                throw new InvalidOperationException($"no replica was placed on {victim.Name}; nothing to fail over");
            }

            Progress.Say($"killing {victim.Name}: its silo (SIGKILL) and its {lost.Length} containers");
            var killedAt = DateTimeOffset.UtcNow;
            silos[^1].Kill();
            await victim.KillAllContainersAsync(cancellationToken);
            var after = await BenchJobs.WaitAsync(grains, Job, t => AllRunning()(t) && t.All(x => x.Node != victim.Name),
                TimeSpan.FromMilliseconds(100), Timeout, cancellationToken);
            var replaced = after.Where(t => before.All(b => b.Id != t.Id)).ToArray();
            var seconds = (replaced.Max(BenchJobs.RunningSince) - killedAt).TotalSeconds;
            var ended = await Task.WhenAll(lost.Select(t => grains.GetGrain<ITaskGrain>(t.Id).GetAsync()));
            var declared = ended.OfType<TaskInfo>().Select(t => t.Events.LastOrDefault(e => e.To == TaskState.Failed)?.Time).OfType<DateTimeOffset>().ToArray();

            var report = new BenchReport("failover", $"failover: a machine of {Machines} dies with {lost.Length} of {replicas} replicas");
            report.Add("seconds", seconds, "SIGKILL → its replicas Running elsewhere", "s", 2);
            if (declared.Length > 0)
            {
                report.Add("declared_lost_s", (declared.Max() - killedAt).TotalSeconds, "SIGKILL → its tasks ended as lost", "s", 2);
            }
            report.Add("replicas", replicas, "replicas", decimals: 0);
            report.Add("moved", replaced.Length, "replicas moved", decimals: 0);
            report.Add("wall_s", total.Elapsed.TotalSeconds, "whole run took", "s", 0);
            report.Note("membership: the silo's shipped appsettings.json (probe every 2 s, 2 missed probes, 2 votes).");
            report.Note("the client connects through the two surviving silos' gateways only.");
            report.Note("restart grace 0: the survivors act at once, as in a cluster whose silos are older than Orchestrator:NodeRestartGrace.");
            return report;
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    private Func<IReadOnlyList<TaskInfo>, bool> AllRunning() => t => t.Count == replicas && t.All(x => x.State == TaskState.Running);
}
