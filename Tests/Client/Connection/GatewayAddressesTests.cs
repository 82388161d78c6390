using System.Net;
using Orchestrator.Client;
using Orchestrator.Client.Connection;
using Xunit;

namespace Orchestrator.Tests.Client.Connection;

public sealed class GatewayAddressesTests
{
    [Fact]
    public async Task Without_option_or_variable_the_default_gateway_is_used()
    {
        var gateways = await GatewayAddresses.ResolveAsync([], null, CancellationToken.None);

        Assert.Equal([IPEndPoint.Parse("127.0.0.1:30000")], gateways);
    }

    [Fact]
    public async Task The_variable_is_comma_separated_and_host_names_resolve()
    {
        var gateways = await GatewayAddresses.ResolveAsync([], " 127.0.0.1:30001 , localhost:30002 ", CancellationToken.None);

        Assert.Equal([IPEndPoint.Parse("127.0.0.1:30001"), IPEndPoint.Parse("127.0.0.1:30002")], gateways);
    }

    [Fact]
    public async Task The_option_wins_over_the_variable_and_repeats_are_merged()
    {
        var gateways = await GatewayAddresses.ResolveAsync(["127.0.0.1:1", "localhost:1", "[::1]:2"], "127.0.0.1:9", CancellationToken.None);

        Assert.Equal([IPEndPoint.Parse("127.0.0.1:1"), IPEndPoint.Parse("[::1]:2")], gateways);
    }

    [Fact]
    public async Task A_bad_value_is_bad_usage()
    {
        var e = await Assert.ThrowsAsync<CommandFailedException>(() => GatewayAddresses.ResolveAsync(["localhost"], null, CancellationToken.None));

        Assert.Equal(2, e.ExitCode);
        Assert.Contains("expected HOST:PORT", e.Message, StringComparison.Ordinal);
    }
}
