using Orchestrator.Bench.Cluster;

namespace Orchestrator.Bench.Scale;

/// <summary>Resources used so far at one moment; <see cref="Since"/> of two is what was used between them.</summary>
/// <param name="Clock">The machine's monotonic clock; in a difference, the time between the two moments.</param>
/// <param name="SiloCpuSeconds">CPU seconds of the silo processes together.</param>
/// <param name="ClientCpuSeconds">CPU seconds of this benchmark process, whose Orleans clients submit and poll.</param>
/// <param name="MachineBusySeconds">CPU seconds every process on the machine used, other people's work included.</param>
/// <param name="Postgres">The PostgreSQL server's counters.</param>
internal sealed record RunUsage(TimeSpan Clock, double SiloCpuSeconds, double ClientCpuSeconds, double MachineBusySeconds, PostgresSample Postgres)
{
    public RunUsage Since(RunUsage before) => new(
        Clock - before.Clock,
        SiloCpuSeconds - before.SiloCpuSeconds,
        ClientCpuSeconds - before.ClientCpuSeconds,
        MachineBusySeconds - before.MachineBusySeconds,
        Postgres.Since(before.Postgres));
}
