using Microsoft.AspNetCore.Builder;
using Orchestrator.Bench.Cluster;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Bench.Scale;

/// <summary>
/// The child process of the scale scenario (<c>node-host --connection CS --cluster ID --nodes N:P:G,...</c>): many
/// complete silos in one process, each built by the Silo's own hosting extension from its own appsettings.json,
/// each with one simulated node (<c>Orchestrator:Runtime=simulated</c>). It prints <see cref="ReadyLine"/> once
/// every silo has started and lives until its parent closes its stdin, which the parent's death does too.
/// </summary>
internal static class NodeHost
{
    public const string Command = "node-host";
    public const string ReadyLine = "node-host: all silos started";

    /// <summary>Silos started at once; each start joins the membership table, so a few at a time go faster than all.</summary>
    private const int StartBatch = 8;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }
        var nodes = options["nodes"].Split(',').Select(SimulatedNode.Parse).ToArray();
        var silos = new List<WebApplication>();
        try
        {
            foreach (var batch in nodes.Chunk(StartBatch))
            {
                silos.AddRange(await Task.WhenAll(batch.Select(n => StartSiloAsync(options["connection"], options["cluster"], n, cancellationToken))));
            }
            await Console.Out.WriteLineAsync(ReadyLine);
            await Console.Out.FlushAsync(cancellationToken);
            await Console.In.ReadToEndAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by a signal: stop the silos below like at the end of stdin.
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await Task.WhenAll(silos.Select(async s =>
            {
                try
                {
                    await s.StopAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    // The process ends anyway.
                }
                await s.DisposeAsync();
            }));
        }
        return 0;
    }

    private static async Task<WebApplication> StartSiloAsync(string connection, string cluster, SimulatedNode node, CancellationToken cancellationToken)
    {
        var settings = SiloSettings.For(connection, cluster, node.Name, node.SiloPort, node.GatewayPort);
        settings["Orchestrator:Runtime"] = "simulated";
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = settings.Select(s => $"--{s.Key}={s.Value}").ToArray(),
            // Beside this assembly: the Silo's appsettings.json, copied here with the Silo project reference.
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddOrchestratorSilo();
        var app = builder.Build();
        app.MapOrchestratorDashboard();
        await app.StartAsync(cancellationToken);
        return app;
    }
}
