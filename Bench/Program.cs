using System.Runtime.InteropServices;
using Orchestrator.Bench;
using Orchestrator.Bench.Churn;
using Orchestrator.Bench.Engine;
using Orchestrator.Bench.Failover;
using Orchestrator.Bench.Scale;
using Orchestrator.Bench.Storage;

// Standard output is the report's alone: whatever else writes to Console.Out (the Orleans clients' console log of
// warnings) goes to standard error with the progress lines, so that --json output stays one JSON object.
var report = Console.Out;
Console.SetOut(Console.Error);

// Ctrl-C and SIGTERM cancel the scenario, which then removes what it made; a second signal ends the process at once.
using var cancel = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    if (!cancel.IsCancellationRequested)
    {
        context.Cancel = true;
        Progress.Say($"{context.Signal}: stopping and cleaning up (again to abort)");
        cancel.Cancel();
    }
}
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

BenchArguments arguments;
IScenario scenario;
try
{
    arguments = BenchArguments.Parse(args);
    scenario = arguments.Scenario switch
    {
        "engine" => EngineScenario.From(arguments),
        "scale" => ScaleScenario.From(arguments),
        "failover" => FailoverScenario.From(arguments),
        "churn" => ChurnScenario.From(arguments),
        "storage" => StorageScenario.From(arguments),
        _ => throw new UsageException($"unknown scenario '{arguments.Scenario}': use engine, scale, failover, churn or storage"),
    };
    arguments.EnsureAllRead();
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"bench: {e.Message}");
    await Console.Error.WriteLineAsync("usage: dotnet run -c Release --project Bench -- engine --containers N [--rounds R] | scale --nodes K --jobs M [--replicas R] [--clients C] [--inflight I] [--silos S] | failover [--replicas 6] | churn [--minutes 10] [--clients 4] [--drain-minutes 0] | storage [--grains 100] [--seconds 10] [--payload 1024]  [--json]");
    return 2;
}

try
{
    var result = await scenario.RunAsync(cancel.Token);
    await report.WriteAsync(arguments.Json ? result.ToJson() + Environment.NewLine : result.ToTable());
    await report.FlushAsync();
    return 0;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("bench: cancelled");
    return 130;
}
catch (UsageException e)
{
    await Console.Error.WriteLineAsync($"bench: {e.Message}");
    return 2;
}
catch (Exception e)
{
    await Console.Error.WriteLineAsync($"bench: {arguments.Scenario} failed: {e}");
    return 1;
}
