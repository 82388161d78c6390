namespace Orchestrator.Grains.Resources;

/// <summary>
/// One resource a node lacks for a replica, in the resource's own unit (cores, MB): what the replica
/// requests, what the node has free beside its allocations, and its capacity.
/// </summary>
public sealed record ResourceShortfall(string Resource, double Requested, double Free, double Capacity);
