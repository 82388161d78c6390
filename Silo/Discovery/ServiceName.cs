using System.Globalization;
using ARSoft.Tools.Net;

namespace Orchestrator.Silo.Discovery;

/// <summary>
/// A name of the <c>orch</c> zone the silos answer for: <c>JOB.orch</c> (the job's replicas),
/// <c>REPLICA.JOB.orch</c> (one replica: its task id without the <c>JOB-</c> in front, e.g. <c>0-k3x9qa.web.orch</c>,
/// the targets of SRV records) and <c>_PORT._tcp.JOB.orch</c> (the replicas' published ports for container port PORT).
/// </summary>
internal sealed record ServiceName(string Job, string? Replica, int? ContainerPort)
{
    public static DomainName Zone { get; } = DomainName.Parse("orch");

    /// <summary>The name of one replica, by its task id.</summary>
    public static DomainName OfReplica(string job, string taskId)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(taskId);
        return new DomainName([ReplicaLabel(job, taskId), job, .. Zone.Labels]);
    }

    /// <summary>The task id a replica's label stands for.</summary>
    public string? TaskId => Replica is null ? null : $"{Job}-{Replica}";

    /// <summary>The zone's name that <paramref name="name"/> is, in lower case; null for the zone itself, a name outside it or one of no form above.</summary>
    public static ServiceName? Parse(DomainName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.IsSubDomainOf(Zone))
        {
            return null;
        }
        var labels = name.Labels[..^Zone.LabelCount].Select(l => l.ToLowerInvariant()).ToArray();
        return labels switch
        {
            [var job] => new ServiceName(job, null, null),
            [var replica, var job] => new ServiceName(job, replica, null),
            [['_', .. var port], "_tcp", var job] when int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535
                => new ServiceName(job, null, number),
            _ => null,
        };
    }

    private static string ReplicaLabel(string job, string taskId) =>
        taskId.StartsWith(job + "-", StringComparison.Ordinal) ? taskId[(job.Length + 1)..] : taskId;
}
