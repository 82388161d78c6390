using Orchestrator.Abstractions.Jobs;
using Orchestrator.Grains.Tasks;
using Xunit;

namespace Orchestrator.Tests.Tasks;

/// <summary>The restart policy of the job file, as a table: what a task does when its container ends.</summary>
public sealed class RestartRulesTests
{
    private static RestartSpec Policy(string policy, int maxRestarts = 3, double backoffSeconds = 1) =>
        new() { Policy = policy, MaxRestarts = maxRestarts, BackoffSeconds = backoffSeconds };

    public static TheoryData<string, RestartSpec, int?, int, int, RestartOutcome, double, string> Cases => new()
    {
        // because, restart spec, exit code (null: lost or unhealthy), restarts so far, backoff step, outcome, delay in s, reason
        { "on-failure restarts a failure", Policy(RestartPolicies.OnFailure), 3, 0, 0, RestartOutcome.Restart, 1, "exited; restart 1 of 3 in 1s" },
        { "on-failure completes a success", Policy(RestartPolicies.OnFailure), 0, 0, 0, RestartOutcome.Complete, 0, "exited" },
        { "on-failure restarts a lost container", Policy(RestartPolicies.OnFailure), null, 1, 1, RestartOutcome.Restart, 2, "exited; restart 2 of 3 in 2s" },
        { "on-failure fails once no restart is left", Policy(RestartPolicies.OnFailure), 3, 3, 3, RestartOutcome.Fail, 0, "exited; no restart left (3 of 3 used)" },
        { "on-failure completes a success even with no restart left", Policy(RestartPolicies.OnFailure), 0, 3, 0, RestartOutcome.Complete, 0, "exited" },
        { "always restarts a success", Policy(RestartPolicies.Always), 0, 0, 0, RestartOutcome.Restart, 1, "exited; restart 1 of 3 in 1s" },
        { "always restarts a failure", Policy(RestartPolicies.Always), 137, 2, 2, RestartOutcome.Restart, 4, "exited; restart 3 of 3 in 4s" },
        { "always completes a success once no restart is left", Policy(RestartPolicies.Always), 0, 3, 0, RestartOutcome.Complete, 0, "exited" },
        { "always fails a failure once no restart is left", Policy(RestartPolicies.Always), 1, 3, 0, RestartOutcome.Fail, 0, "exited; no restart left (3 of 3 used)" },
        { "never completes a success", Policy(RestartPolicies.Never), 0, 0, 0, RestartOutcome.Complete, 0, "exited" },
        { "never fails a failure at once", Policy(RestartPolicies.Never), 1, 0, 0, RestartOutcome.Fail, 0, "exited; restart policy never" },
        { "never fails a lost container", Policy(RestartPolicies.Never), null, 0, 0, RestartOutcome.Fail, 0, "exited; restart policy never" },
        { "no restarts allowed fails the first failure", Policy(RestartPolicies.OnFailure, maxRestarts: 0), 1, 0, 0, RestartOutcome.Fail, 0, "exited; no restart left (0 of 0 used)" },
        { "the backoff starts at backoffSeconds", Policy(RestartPolicies.OnFailure, backoffSeconds: 0.5), 1, 0, 0, RestartOutcome.Restart, 0.5, "exited; restart 1 of 3 in 0.5s" },
        { "the backoff doubles per step", Policy(RestartPolicies.OnFailure, maxRestarts: 10, backoffSeconds: 3), 1, 4, 4, RestartOutcome.Restart, 48, "exited; restart 5 of 10 in 48s" },
        { "the backoff is capped at 300 s", Policy(RestartPolicies.OnFailure, maxRestarts: 20, backoffSeconds: 10), 1, 9, 9, RestartOutcome.Restart, 300, "exited; restart 10 of 20 in 300s" },
        { "a huge step stays capped", Policy(RestartPolicies.Always, maxRestarts: 1000), 1, 500, 500, RestartOutcome.Restart, 300, "exited; restart 501 of 1000 in 300s" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides(string because, RestartSpec restart, int? exitCode, int restarts, int backoffStep, RestartOutcome outcome, double delaySeconds, string reason)
    {
        var decision = RestartRules.Decide(restart, exitCode, restarts, backoffStep, "exited");

        Assert.True(
            decision == new RestartDecision(outcome, TimeSpan.FromSeconds(delaySeconds), reason),
            $"{because}: got {decision}");
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 2)]
    [InlineData(1, 8, 256)]
    [InlineData(1, 9, 300)]
    [InlineData(2, -1, 2)]
    [InlineData(0.25, 2, 1)]
    public void The_backoff_doubles_from_its_first_delay_up_to_300_seconds(double backoffSeconds, int step, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RestartRules.Backoff(backoffSeconds, step));
    }

    [Theory]
    [InlineData(null, 3, 3)]
    [InlineData(599, 3, 3)]
    [InlineData(600, 3, 0)]
    [InlineData(3600, 5, 0)]
    [InlineData(5, 0, 0)]
    public void The_backoff_resets_after_ten_minutes_of_running(int? ranSeconds, int step, int stepAfter)
    {
        var end = DateTimeOffset.UnixEpoch.AddDays(1);
        var runningSince = ranSeconds is { } seconds ? end.AddSeconds(-seconds) : (DateTimeOffset?)null;

        Assert.Equal(stepAfter, RestartRules.BackoffStepAfter(runningSince, step, end));
    }
}
