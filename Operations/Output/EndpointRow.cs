namespace Orchestrator.Operations.Output;

/// <summary>
/// One published port of one live replica, as <c>orch endpoints --json</c> prints it: where other machines reach
/// <see cref="ContainerPort"/> of task <see cref="Task"/> (<see cref="Address"/>:<see cref="Port"/>).
/// </summary>
public sealed record EndpointRow(string Task, string Node, string Address, int Port, int ContainerPort, bool Healthy);
