using System.Globalization;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// What a node checks of a spec before it creates anything for it, whoever sent it: the spec is valid under this
/// silo's own policy, and asks for exactly what the task reserved, so no container holds more than its ledger entry.
/// </summary>
public static class RunAdmission
{
    /// <summary>The broken rules; empty when the node may run <paramref name="spec"/> for <paramref name="entry"/>.</summary>
    public static IReadOnlyList<SpecError> Check(JobSpec spec, LedgerEntry entry, ExecutionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(entry);
        var errors = JobSpecValidator.Validate(spec, policy).ToList();
        if (spec.Resources != entry.Resources)
        {
            errors.Add(new SpecError("resources", string.Create(
                CultureInfo.InvariantCulture,
                $"must be what the task reserved on this node ({entry.Resources.Cpu} CPU, {entry.Resources.MemoryMb} MB)")));
        }
        var ports = Ledger.For(entry.TaskId, entry.Job, spec).HostPorts;
        if (!ports.Order().SequenceEqual(entry.HostPorts.Order()))
        {
            errors.Add(new SpecError("ports", "host ports must be those the task reserved on this node"));
        }
        return errors;
    }
}
