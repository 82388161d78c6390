using System.CommandLine;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Client.Output;
using Orchestrator.Operations.Output;

namespace Orchestrator.Client.Commands;

/// <summary><c>orch plan -f FILE</c>: a dry run of placement, changing nothing.</summary>
internal static class PlanCommand
{
    public static Command Create(CommandRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var file = JobFileOption.Create();
        var command = new Command("plan", """
            Dry run: shows where each replica of the job file would be placed and with what score, and
            why any replica fits nowhere. Nothing is stored or started; exit 0 even when some replicas
            are unplaced.

            Examples:
              orch plan -f web.json
              orch plan -f web.json --json
            """)
        {
            file,
        };
        runner.Bind(command, (context, parse) => RunAsync(context, parse.GetRequiredValue(file)));
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, string file)
    {
        var spec = await JobFile.ReadAsync(file, context.CancellationToken).ConfigureAwait(false);
        var plan = await context.CallAsync(client => client.GetGrain<ISchedulerGrain>(0).PlanAsync(spec)).ConfigureAwait(false);
        var document = PlanDocument.From(plan);
        if (context.Json)
        {
            context.WriteJson(document);
        }
        else
        {
            PlanTable.Write(context.Ansi, document);
        }
        return ExitCodes.Ok;
    }
}
