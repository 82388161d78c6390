using Orchestrator.Grains.Jobs;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>The rule of the keys jobs read (docs/CONTRACT.md, Silo configuration): a broken one is a line naming its key.</summary>
public sealed class JobOptionsValidatorTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("00:00:00", null)]
    [InlineData("7.00:00:00", null)]
    [InlineData("-00:00:01", "Orchestrator:TaskRetention must not be negative")]
    public void Task_retention_is_not_negative(string? retention, string? refusal)
    {
        Dictionary<string, string?> settings = retention is null ? [] : new() { ["Orchestrator:TaskRetention"] = retention };

        Assert.Equal(refusal, ValidatedSettings.Refusal(new JobOptionsValidator(), JobOptions.Section, settings));
    }
}
