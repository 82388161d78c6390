using Microsoft.Extensions.Options;

namespace Orchestrator.Silo.Hosting;

/// <summary>The rule of <see cref="SiloDashboardOptions"/>, broken as a line naming its key (docs/CONTRACT.md, Silo configuration).</summary>
internal sealed class SiloDashboardOptionsValidator : IValidateOptions<SiloDashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloDashboardOptions options) =>
        ListenAddress.Parse(options.Address) is null
            ? ValidateOptionsResult.Fail(ListenAddress.Refusal("Dashboard:Address", options.Address))
            : ValidateOptionsResult.Success;
}
