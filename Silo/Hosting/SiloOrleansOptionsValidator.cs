using System.Net;
using Microsoft.Extensions.Options;

namespace Orchestrator.Silo.Hosting;

/// <summary>The rule of <see cref="SiloOrleansOptions"/>, broken as a line naming its key (docs/CONTRACT.md, Silo configuration).</summary>
internal sealed class SiloOrleansOptionsValidator : IValidateOptions<SiloOrleansOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOrleansOptions options) =>
        IPAddress.TryParse(options.AdvertisedIP, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Orleans:AdvertisedIP must be an IP address such as 10.0.0.5 or 127.0.0.1");
}
