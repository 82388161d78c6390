using Orchestrator.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrchestratorSilo();

var app = builder.Build();
app.MapOrchestratorDashboard();
await app.RunAsync();
