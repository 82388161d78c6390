using System.Net;
using Microsoft.Extensions.Options;
using Orchestrator.Grains.Nodes.Runtime;

namespace Orchestrator.Grains.Nodes;

/// <summary>The rules of <see cref="NodeOptions"/>, each broken one a line naming its key (docs/CONTRACT.md, Silo configuration).</summary>
public sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.NodeName))
        {
            result.AddError("Orchestrator:NodeName must not be empty");
        }
        if (!IPAddress.TryParse(options.PortHost, out _))
        {
            result.AddError("Orchestrator:PortHost must be an IP address such as 10.0.0.5 or 127.0.0.1");
        }
        if (options.NodeName.Contains(NodeNames.Separator, StringComparison.Ordinal))
        {
            result.AddError($"Orchestrator:NodeName must not contain '{NodeNames.Separator}'");
        }
        if (options.SimulatedNodes is < 1 or > 1000)
        {
            result.AddError("Orchestrator:SimulatedNodes must be between 1 and 1000");
        }
        if (options.SimulatedNodes != 1 && options.Runtime != ContainerRuntimeKind.Simulated)
        {
            result.AddError("Orchestrator:SimulatedNodes above 1 needs Orchestrator:Runtime simulated");
        }
        if (options.NodeRestartGrace < TimeSpan.Zero || options.NodeRestartGrace > TimeSpan.FromHours(1))
        {
            result.AddError("Orchestrator:NodeRestartGrace must be between 0 and 1 hour");
        }
        if (options.NodeLossCheckInterval < TimeSpan.FromMilliseconds(100) || options.NodeLossCheckInterval > TimeSpan.FromMinutes(10))
        {
            result.AddError("Orchestrator:NodeLossCheckInterval must be between 100 ms and 10 minutes");
        }
        if (options.ImagePullTimeout < TimeSpan.FromSeconds(1) || options.ImagePullTimeout > TimeSpan.FromDays(1))
        {
            result.AddError("Orchestrator:ImagePullTimeout must be between 1 second and 1 day");
        }
        if (!string.IsNullOrEmpty(options.RegistryAuthFile) && !File.Exists(options.RegistryAuthFile))
        {
            result.AddError("Orchestrator:RegistryAuthFile must name an existing Docker config.json");
        }
        return result.Build();
    }
}
