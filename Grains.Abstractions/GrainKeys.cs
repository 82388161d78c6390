using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Abstractions;

/// <summary>
/// The keys of job and node grains: the name behind a prefix. Orleans' ADO.NET storage reads a string
/// key that parses as hexadecimal ("cafe", "42", "0a1") as an integer key and then cannot find its row
/// again after a restart; user-chosen names can be any of those, so the key is never the bare name.
/// Task ids (<c>JOB-SLOT-xxxxxx</c>) contain a dash and need no prefix.
/// </summary>
public static class GrainKeys
{
    private const string JobPrefix = "job/";
    private const string NodePrefix = "node/";

    public static string Job(string name) => JobPrefix + name;

    public static string Node(string name) => NodePrefix + name;

    /// <summary>The job name behind a job grain's key.</summary>
    public static string JobName(string key) => Strip(key, JobPrefix);

    /// <summary>The node name behind a node grain's key.</summary>
    public static string NodeName(string key) => Strip(key, NodePrefix);

    /// <summary>The grain of the job named <paramref name="name"/>.</summary>
    public static IJobGrain GetJob(this IGrainFactory grains, string name)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IJobGrain>(Job(name));
    }

    /// <summary>The clock of the scheduled job named <paramref name="name"/>.</summary>
    public static IJobScheduleGrain GetJobSchedule(this IGrainFactory grains, string name)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<IJobScheduleGrain>(Job(name));
    }

    /// <summary>The grain of the node named <paramref name="name"/>.</summary>
    public static INodeGrain GetNode(this IGrainFactory grains, string name)
    {
        ArgumentNullException.ThrowIfNull(grains);
        return grains.GetGrain<INodeGrain>(Node(name));
    }

    private static string Strip(string key, string prefix)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : key;
    }
}
