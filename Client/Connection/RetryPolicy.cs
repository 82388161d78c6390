using Orchestrator.Operations.Failures;

namespace Orchestrator.Client.Connection;

/// <summary>
/// Which failures of a call to the cluster are worth making the same call again, through whichever gateway
/// answers: those <see cref="ClusterFailures.Unavailable"/> puts down to the way there. Every orch command is safe
/// to repeat (a submission is idempotent by job name), so the only question is whether the failure is the
/// cluster's answer or a fault of the way there; answers, and a command's own failures, are never retried.
/// </summary>
internal static class RetryPolicy
{
    /// <summary>How long a command without a <c>--timeout</c> of its own keeps retrying.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(60);

    /// <summary>The pause between attempts, so a dying silo is not hammered and the cluster has time to notice.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public static bool IsTransient(Exception exception) => Reason(exception) is not null;

    /// <summary>A few words on what failed on the way to the cluster, for the user; null when the failure is not transient.</summary>
    public static string? Reason(Exception exception) =>
        exception is CommandFailedException ? null : ClusterFailures.Unavailable(exception);
}
