using Orchestrator.Grains.Scheduling;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Scheduling;

/// <summary><c>Orchestrator:DefaultScheduler</c> names one of the schedulers a job may name, or stops the silo with one line.</summary>
public sealed class SchedulerOptionsValidatorTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("epvm", null)]
    [InlineData("round-robin", null)]
    [InlineData("binpack", null)]
    [InlineData("spread", null)]
    [InlineData("EPVM", "Orchestrator:DefaultScheduler must be one of epvm, round-robin, binpack, spread")]
    [InlineData("fifo", "Orchestrator:DefaultScheduler must be one of epvm, round-robin, binpack, spread")]
    [InlineData("", "Orchestrator:DefaultScheduler must be one of epvm, round-robin, binpack, spread")]
    public void The_default_scheduler_is_one_a_job_may_name(string? scheduler, string? refusal)
    {
        Dictionary<string, string?> settings = scheduler is null ? [] : new() { ["Orchestrator:DefaultScheduler"] = scheduler };

        Assert.Equal(refusal, ValidatedSettings.Refusal(new SchedulerOptionsValidator(), SchedulerOptions.Section, settings));
    }
}
