using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orchestrator.Grains.Nodes;
using Orchestrator.Silo.Hosting;
using Xunit;

namespace Orchestrator.Tests.Discovery;

/// <summary>Where a node's published ports are reached from other machines, as endpoints and DNS name them.</summary>
public sealed class PublishedAddressTests
{
    [Theory]
    [InlineData(null, null, "127.0.0.1")]
    [InlineData("10.1.2.3", null, "10.1.2.3")]
    [InlineData("10.1.2.3", "192.168.7.9", "192.168.7.9")]
    [InlineData(null, "0.0.0.0", "0.0.0.0")]
    public void PortHost_is_the_silos_advertised_address_unless_configured(string? advertised, string? portHost, string expected)
    {
        var builder = WebApplication.CreateBuilder();
        var settings = new Dictionary<string, string?> { ["Orchestrator:NodeName"] = "node-a" };
        if (advertised is not null)
        {
            settings["Orleans:AdvertisedIP"] = advertised;
        }
        if (portHost is not null)
        {
            settings["Orchestrator:PortHost"] = portHost;
        }
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddOrchestratorSilo();
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(expected, services.GetRequiredService<IOptions<NodeOptions>>().Value.PortHost);
    }

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("0.0.0.0", "10.9.8.7")]
    [InlineData("::", "10.9.8.7")]
    public void A_wildcard_is_answered_as_the_silos_own_address(string portHost, string expected)
    {
        Assert.Equal(expected, PublishedAddress.Of(portHost, IPAddress.Parse("10.9.8.7")));
    }
}
