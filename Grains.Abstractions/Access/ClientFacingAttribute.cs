namespace Orchestrator.Abstractions.Access;

/// <summary>
/// Marks a grain method that clients outside the cluster (orch, the benchmarks, any Orleans client at a gateway) may
/// call. Every other method of the orchestrator's grains is internal: tasks start containers, nodes reserve and run
/// them, directories are told of changes, and a client calling those directly would get around the job's validation
/// and the silo's policy. The silo refuses client calls to unmarked methods.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ClientFacingAttribute : Attribute;
