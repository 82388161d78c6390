using Orchestrator.Grains.Nodes;
using Xunit;

namespace Orchestrator.Tests.Nodes;

public sealed class NodeLivenessTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Old = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Young = TimeSpan.FromSeconds(5);

    /// <summary>Members as "name:status[:generation]", e.g. "node-2:Dead:1".</summary>
    public static TheoryData<string, string[], TimeSpan?, NodeVerdict, string> Cases => new()
    {
        { "node-2", ["node-1:Active", "node-2:Active"], Old, NodeVerdict.Alive, "its silo is Active" },
        { "node-2", ["node-1:Active", "node-2:Dead"], Old, NodeVerdict.Lost, "its only silo is dead and this silo is old enough" },
        { "node-2", ["node-1:Active", "node-2:Dead"], Young, NodeVerdict.TooSoon, "a young silo may be part of a whole-cluster restart" },
        { "node-2", ["node-1:Active", "node-2:Dead"], null, NodeVerdict.TooSoon, "a silo not yet Active declares nothing" },
        { "node-2", ["node-1:Active", "node-2:Dead"], Grace, NodeVerdict.Lost, "the grace is over at exactly its length" },
        { "node-2", ["node-1:Active", "node-2:Dead:1", "node-2:Joining:2"], Old, NodeVerdict.Alive, "restarted: its new silo is joining" },
        { "node-2", ["node-1:Active", "node-2:Dead:1", "node-2:Active:2"], Old, NodeVerdict.Alive, "restarted: the old generation is dead, the new one lives" },
        { "node-2", ["node-1:Active", "node-2:Dead:1", "node-2:Dead:2"], Old, NodeVerdict.Lost, "every generation is dead" },
        { "node-2", ["node-1:Active", "node-2:ShuttingDown"], Old, NodeVerdict.Alive, "a silo still shutting down keeps its containers until it is dead" },
        { "node-2", ["node-1:Active", "node-2:Stopping"], Old, NodeVerdict.Alive, "stopping is not dead yet" },
        { "node-2", ["node-1:Active", "node-2:Created"], Old, NodeVerdict.Alive, "a silo just created is on its way" },
        { "node-2", ["node-1:Active"], Old, NodeVerdict.Lost, "no member at all, whatever became of it" },
        { "node-2#3", ["node-1:Active", "node-2:Active"], Old, NodeVerdict.Alive, "a simulated node lives with the silo hosting it" },
        { "node-2#3", ["node-1:Active", "node-2:Dead"], Old, NodeVerdict.Lost, "a simulated node is lost with its silo" },
        { "node-1", ["node-1:Dead:1"], Old, NodeVerdict.Alive, "the silo judging is that node's silo: its own older generation's death is a restart" },
        { "node-1#2", [], Young, NodeVerdict.Alive, "this silo's own simulated node, whatever the snapshot says" },
        { "node-3", ["node-1:Active", "node-2:Active", "node-3:Active"], Old, NodeVerdict.Alive, "heartbeats are no input: a frozen engine's node is alive while its silo is" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_node_is_lost_only_when_its_silo_has_no_live_member_and_this_silo_is_past_its_restart_grace(
        string node, string[] members, TimeSpan? activeFor, NodeVerdict expected, string why)
    {
        var verdict = NodeLiveness.Judge(node, members.Select(Member), "node-1", activeFor, Grace);

        Assert.True(expected == verdict, $"{node} among [{string.Join(", ", members)}], active for {activeFor}: expected {expected} ({why}), got {verdict}");
    }

    private static ClusterMember Member(string spec)
    {
        var parts = spec.Split(':');
        var generation = parts.Length > 2 ? int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : 1;
        var port = 11000 + parts[0][^1];
        return new ClusterMember(SiloAddress.FromParsableString($"127.0.0.1:{port}@{generation}"), Enum.Parse<SiloStatus>(parts[1]), parts[0]);
    }
}
