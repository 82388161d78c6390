using Orchestrator.Grains.Nodes;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Nodes;

/// <summary>The rules of the keys nodes read (docs/CONTRACT.md, Silo configuration): each broken one is a line naming its key.</summary>
public sealed class NodeOptionsValidatorTests
{
    public static TheoryData<Dictionary<string, string?>, string?> Table => new()
    {
        { [], null },
        { new() { ["Orchestrator:NodeName"] = "node-a" }, null },
        { new() { ["Orchestrator:NodeName"] = "" }, "Orchestrator:NodeName must not be empty" },
        { new() { ["Orchestrator:NodeName"] = "  " }, "Orchestrator:NodeName must not be empty" },
        { new() { ["Orchestrator:NodeName"] = "node-a#2" }, "Orchestrator:NodeName must not contain '#'" },
        { new() { ["Orchestrator:PortHost"] = "10.0.0.5" }, null },
        { new() { ["Orchestrator:PortHost"] = "::" }, null },
        { new() { ["Orchestrator:PortHost"] = "node-a.example" }, "Orchestrator:PortHost must be an IP address such as 10.0.0.5 or 127.0.0.1" },
        { new() { ["Orchestrator:SimulatedNodes"] = "1000", ["Orchestrator:Runtime"] = "simulated" }, null },
        { new() { ["Orchestrator:SimulatedNodes"] = "0", ["Orchestrator:Runtime"] = "simulated" }, "Orchestrator:SimulatedNodes must be between 1 and 1000" },
        { new() { ["Orchestrator:SimulatedNodes"] = "1001", ["Orchestrator:Runtime"] = "simulated" }, "Orchestrator:SimulatedNodes must be between 1 and 1000" },
        { new() { ["Orchestrator:SimulatedNodes"] = "2" }, "Orchestrator:SimulatedNodes above 1 needs Orchestrator:Runtime simulated" },
        { new() { ["Orchestrator:NodeRestartGrace"] = "00:00:00" }, null },
        { new() { ["Orchestrator:NodeRestartGrace"] = "01:00:00" }, null },
        { new() { ["Orchestrator:NodeRestartGrace"] = "-00:00:01" }, "Orchestrator:NodeRestartGrace must be between 0 and 1 hour" },
        { new() { ["Orchestrator:NodeRestartGrace"] = "01:00:01" }, "Orchestrator:NodeRestartGrace must be between 0 and 1 hour" },
        { new() { ["Orchestrator:NodeLossCheckInterval"] = "00:00:00.1" }, null },
        { new() { ["Orchestrator:NodeLossCheckInterval"] = "00:10:00" }, null },
        { new() { ["Orchestrator:NodeLossCheckInterval"] = "00:00:00.099" }, "Orchestrator:NodeLossCheckInterval must be between 100 ms and 10 minutes" },
        { new() { ["Orchestrator:NodeLossCheckInterval"] = "00:10:01" }, "Orchestrator:NodeLossCheckInterval must be between 100 ms and 10 minutes" },
        { new() { ["Orchestrator:ImagePullTimeout"] = "00:00:01" }, null },
        { new() { ["Orchestrator:ImagePullTimeout"] = "1.00:00:00" }, null },
        { new() { ["Orchestrator:ImagePullTimeout"] = "00:00:00.999" }, "Orchestrator:ImagePullTimeout must be between 1 second and 1 day" },
        { new() { ["Orchestrator:ImagePullTimeout"] = "1.00:00:01" }, "Orchestrator:ImagePullTimeout must be between 1 second and 1 day" },
        { new() { ["Orchestrator:RegistryAuthFile"] = typeof(NodeOptionsValidatorTests).Assembly.Location }, null },
        { new() { ["Orchestrator:RegistryAuthFile"] = "/nonexistent/config.json" }, "Orchestrator:RegistryAuthFile must name an existing Docker config.json" },
        {
            new() { ["Orchestrator:NodeName"] = "", ["Orchestrator:PortHost"] = "node-a.example" },
            "Orchestrator:NodeName must not be empty; Orchestrator:PortHost must be an IP address such as 10.0.0.5 or 127.0.0.1"
        },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_broken_rule_is_a_line_naming_its_key(Dictionary<string, string?> settings, string? refusal)
    {
        Assert.Equal(refusal, ValidatedSettings.Refusal(new NodeOptionsValidator(), NodeOptions.Section, settings));
    }
}
