namespace Orchestrator.Silo.Api;

/// <summary>The body of <c>POST /v1/jobs/{name}/scale</c>.</summary>
internal sealed record ScaleRequest(int? Replicas);
