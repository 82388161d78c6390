using Orchestrator.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
try
{
    builder.AddOrchestratorSilo();
}
catch (SiloConfigurationException e)
{
    // The operator needs the key to fix, not a stack trace.
    await Console.Error.WriteLineAsync($"orch silo: {e.Message}");
    return 1;
}

var app = builder.Build();
app.MapOrchestratorEndpoints();
await app.RunAsync();
return 0;
