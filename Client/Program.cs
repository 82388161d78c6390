using Orchestrator.Client;
using Orchestrator.Client.Output;

return await OrchCli.RunAsync(args, new CliConsole(Console.Out, Console.Error, IsTerminal: !Console.IsOutputRedirected));
