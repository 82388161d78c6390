using Microsoft.Extensions.Options;
using Orchestrator.Abstractions.Scheduling;

namespace Orchestrator.Grains.Scheduling;

/// <summary>The rule of <see cref="SchedulerOptions"/>, broken as a line naming its key (docs/CONTRACT.md, Silo configuration).</summary>
public sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return SchedulerNames.All.Contains(options.DefaultScheduler)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Orchestrator:DefaultScheduler must be one of {string.Join(", ", SchedulerNames.All)}");
    }
}
