using System.Collections.Frozen;
using System.Collections.Immutable;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Scheduling.Filters;
using Orchestrator.Grains.Scheduling.Scorers;

namespace Orchestrator.Grains.Scheduling;

/// <summary>
/// Filters, then scores: every node passes the filters in order (cheapest first; the first refusal is
/// the node's reason), and the preferences, then the job's scorer, rank the rest. Pure: no grain or
/// engine call, no input mutated, the same answer for the same input.
/// </summary>
public sealed class PlacementPipeline
{
    public PlacementPipeline(IEnumerable<IPlacementFilter> filters, IEnumerable<IPlacementScorer> scorers, IEnumerable<IPlacementScorer> preferences)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(scorers);
        ArgumentNullException.ThrowIfNull(preferences);
        Filters = [.. filters];
        Scorers = scorers.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        Preferences = [.. preferences];
    }

    /// <summary>Every filter and every scheduler of <see cref="SchedulerNames"/>.</summary>
    public static PlacementPipeline Default { get; } = new(
        [new ExcludedNodeFilter(), new NodeReadyFilter(), new ConstraintFilter(), new DistinctNodeFilter(), new ResourceFitFilter(), new HostPortFilter()],
        [new EpvmScorer(), new RoundRobinScorer(), new BinPackScorer(), new SpreadScorer()],
        [new SpreadByScorer()]);

    /// <summary>The filters in the order they run.</summary>
    public ImmutableArray<IPlacementFilter> Filters { get; }

    /// <summary>Scorers by the scheduler name a job selects them with.</summary>
    public IReadOnlyDictionary<string, IPlacementScorer> Scorers { get; }

    /// <summary>
    /// Scorers that rank before the job's own, in order: a node better by an earlier one wins whatever the later
    /// ones say (the job's scorer decides only between nodes they find equal). Their parts join the node's score.
    /// </summary>
    public ImmutableArray<IPlacementScorer> Preferences { get; }

    /// <summary>
    /// Filters and scores <paramref name="nodes"/> for one replica of <paramref name="spec"/>: the
    /// candidates best first (equal scores by the scorer's tie-break, then by name), and every other
    /// node with its reason. Only the <c>detailed</c> best candidates keep their score's parts (each scorer's terms).
    /// </summary>
    /// <exception cref="ArgumentException">The scheduler is unknown or two nodes share a name.</exception>
    public PlacementExplanation Rank(
        JobSpec spec,
        IReadOnlyList<NodeInfo> nodes,
        IReadOnlyCollection<string> excludedNodes,
        string schedulerName,
        long roundRobinTick,
        int detailed = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(excludedNodes);
        var scorer = ScorerFor(schedulerName);
        RequireUniqueNames(nodes);
        var sorted = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var context = new PlacementContext(spec, excludedNodes, sorted.Count, roundRobinTick, sorted);
        var refusals = sorted.Select(node => FirstRefusal(context, node)).ToArray();
        return new NodeRanking(Preferences, scorer, context).Explain(context, refusals, detailed, int.MaxValue);
    }

    private NodeRejection? FirstRefusal(PlacementContext context, NodeInfo node)
    {
        foreach (var filter in Filters)
        {
            var result = filter.Check(context, node);
            if (!result.Feasible)
            {
                return new NodeRejection(node.Name, result.Reason!, result.Detail ?? result.Reason!);
            }
        }
        return null;
    }

    /// <summary>
    /// A dry run for the whole job: places replica after replica on a working copy of the nodes, each
    /// placed replica adding its resources, fixed host ports and task to its node, so later replicas
    /// see the earlier ones. <paramref name="nodes"/> is not changed.
    /// </summary>
    /// <remarks>
    /// An unplaced replica's reasons are the summary line first ("0/3 nodes available: 3 insufficient
    /// cpu"), then one line per node ("node-b: insufficient cpu: need 1.5, free 0.5"). Round-robin
    /// starts its rotation at the first node for replica 0. Each replica's <c>detailed</c> best candidates keep their
    /// score's parts, as in <see cref="Rank"/>; with <paramref name="keep"/>, each replica's explanation is what
    /// <see cref="PlacementExplanation.Condensed"/> keeps of it (what a task stores), built without ordering the rest.
    /// </remarks>
    public PlanResult Plan(JobSpec spec, IReadOnlyList<NodeInfo> nodes, string schedulerName, int detailed = int.MaxValue, int keep = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var scorer = ScorerFor(schedulerName);
        RequireUniqueNames(nodes);
        var working = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var index = working.Select((node, i) => (node.Name, i)).ToDictionary(n => n.Name, n => n.i, StringComparer.Ordinal);
        // Every filter looks at one node alone, so a node's verdict stands until a replica lands on it: a plan of a
        // thousand replicas filters the node it just changed, not every node again. The ranking does the same with
        // the scores of scorers that judge each node alone.
        var context = new PlacementContext(spec, [], working.Count, 0, working);
        var refusals = working.Select(node => FirstRefusal(context, node)).ToArray();
        var ranking = new NodeRanking(Preferences, scorer, context);
        var placements = new List<PlannedPlacement>();
        var unplaced = new List<UnplacedReplica>();
        for (var replica = 0; replica < spec.Replicas; replica++)
        {
            context = context with { RoundRobinTick = replica };
            var explanation = ranking.Explain(context, refusals, detailed, keep);
            if (explanation.Candidates.Count == 0)
            {
                var reasons = refusals.Select(r => $"{r!.Node}: {r.Detail}").Prepend(explanation.Summary());
                unplaced.Add(new UnplacedReplica(replica, reasons.ToArray()));
                continue;
            }
            var best = explanation.Candidates[0];
            placements.Add(new PlannedPlacement(replica, best.Node, best.Score, explanation with { ChosenNode = best.Node }));
            var chosen = index[best.Node];
            working[chosen] = WithReplica(working[chosen], spec);
            refusals[chosen] = FirstRefusal(context, working[chosen]);
            ranking.Forget(chosen);
        }
        return new PlanResult { Job = spec.Name, Placements = placements, Unplaced = unplaced };
    }

    private IPlacementScorer ScorerFor(string schedulerName)
    {
        ArgumentNullException.ThrowIfNull(schedulerName);
        return Scorers.TryGetValue(schedulerName, out var scorer)
            ? scorer
            : throw new ArgumentException(
                $"unknown scheduler '{schedulerName}'; known: {string.Join(", ", Scorers.Keys.Order(StringComparer.Ordinal))}",
                nameof(schedulerName));
    }

    private static void RequireUniqueNames(IReadOnlyList<NodeInfo> nodes)
    {
        var duplicate = nodes.GroupBy(n => n.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"node '{duplicate.Key}' appears more than once", nameof(nodes));
        }
    }

    /// <summary>
    /// The node as it would be with one more replica of the job. Its measured load, when known, rises by
    /// the replica's share of the node's cores: the same assumption E-PVM's load term makes.
    /// </summary>
    internal static NodeInfo WithReplica(NodeInfo node, JobSpec spec)
    {
        var fixedPorts = spec.Ports.Where(p => p.Host != 0).Select(p => p.Host);
        var tasksByJob = new Dictionary<string, int>(node.TasksByJob, StringComparer.Ordinal);
        tasksByJob[spec.Name] = tasksByJob.GetValueOrDefault(spec.Name) + 1;
        return node with
        {
            AllocatedCpu = node.AllocatedCpu + spec.Resources.Cpu,
            AllocatedMemoryMb = node.AllocatedMemoryMb + spec.Resources.MemoryMb,
            Tasks = node.Tasks + 1,
            UsedHostPorts = [.. node.UsedHostPorts.Concat(fixedPorts).Distinct()],
            TasksByJob = tasksByJob,
            Stats = node.Stats.CpuPercent is { } percent
                ? node.Stats with { CpuPercent = percent + 100 * Utilisation.Of(spec.Resources.Cpu, node.Cpus) }
                : node.Stats,
        };
    }
}
