using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes.Sweep;

/// <summary>A running container whose health checks should run and do not (re-adopted after a restart).</summary>
public sealed record HealthWatch(string TaskId, string ContainerId, HealthSpec Health, IReadOnlyList<PortMapping> Ports);
