using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Grains.Scheduling.Filters;
using Xunit;
using static Orchestrator.Tests.Scheduling.SchedulingFixtures;

namespace Orchestrator.Tests.Scheduling.Filters;

public sealed class HostPortFilterTests
{
    private readonly HostPortFilter _filter = new();

    [Fact]
    public void A_free_fixed_port_passes()
    {
        var spec = Job() with { Ports = [new PortSpec { Container = 80, Host = 8080 }] };
        var node = Node("node-a") with { UsedHostPorts = [8081, 9090] };

        Assert.True(_filter.Check(Context(spec), node).Feasible);
    }

    [Fact]
    public void A_taken_fixed_port_is_refused_naming_the_port()
    {
        var spec = Job() with { Ports = [new PortSpec { Container = 80, Host = 8080 }, new PortSpec { Container = 81, Host = 8081 }] };
        var node = Node("node-a") with { UsedHostPorts = [8080] };

        var result = _filter.Check(Context(spec), node);

        Assert.Equal(RejectionReasons.PortInUse, result.Reason);
        Assert.Equal("port in use: host port 8080 already taken on the node", result.Detail);
    }

    [Fact]
    public void Any_port_requests_never_conflict()
    {
        // Host 0 asks the engine for any free port, so a node with port 0 "used" is not a conflict either.
        var spec = Job() with { Ports = [new PortSpec { Container = 80, Host = 0 }] };
        var node = Node("node-a") with { UsedHostPorts = [0, 80, 8080] };

        Assert.True(_filter.Check(Context(spec), node).Feasible);
    }
}
