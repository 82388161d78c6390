namespace Orchestrator.Grains.Nodes;

/// <summary>What this silo may conclude about a node from Orleans membership (<see cref="NodeLiveness"/>).</summary>
public enum NodeVerdict
{
    /// <summary>A member of the node's silo is live (or this is that silo): its containers are left alone.</summary>
    Alive,

    /// <summary>No member of the node's silo is live, and this silo has been Active long enough to say so: its tasks are replaced.</summary>
    Lost,

    /// <summary>
    /// No member of the node's silo is live, but this silo joined less than a restart grace ago: the whole cluster may be
    /// restarting, and the node's silo may be on its way back. Nothing is done; the periodic checks look again.
    /// </summary>
    TooSoon,
}
