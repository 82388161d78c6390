using Microsoft.Extensions.Options;

namespace Orchestrator.Grains.Jobs;

/// <summary>The rule of <see cref="JobOptions"/>, broken as a line naming its key (docs/CONTRACT.md, Silo configuration).</summary>
public sealed class JobOptionsValidator : IValidateOptions<JobOptions>
{
    public ValidateOptionsResult Validate(string? name, JobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.TaskRetention >= TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Orchestrator:TaskRetention must not be negative");
    }
}
