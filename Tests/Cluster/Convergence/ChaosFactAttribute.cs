using Xunit;

namespace Orchestrator.Tests.Cluster.Convergence;

/// <summary>A test that runs only when <c>scripts/chaos.sh</c> asks for seeds (ORCH_CHAOS_SEEDS or ORCH_CHAOS_SEED); skipped otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChaosFactAttribute : FactAttribute
{
    public ChaosFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("ORCH_CHAOS_SEEDS") is null && Environment.GetEnvironmentVariable("ORCH_CHAOS_SEED") is null)
        {
            Skip = "runs from scripts/chaos.sh (ORCH_CHAOS_SEEDS or ORCH_CHAOS_SEED)";
        }
    }
}
