using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Orchestrator.Operations.Output;
using Orchestrator.Silo.Discovery;
using Xunit;

namespace Orchestrator.Tests.Discovery;

/// <summary>A DNS question and the named job's endpoints → the silo's answer, as a table; records written as dig prints them.</summary>
public sealed class ServiceDnsAnswersTests
{
    private static readonly EndpointRow[] Web =
    [
        new("web-0-aaaaaa", "a", "10.0.0.1", 40001, 8080, true),
        new("web-0-aaaaaa", "a", "10.0.0.1", 40002, 9090, true),
        new("web-1-bbbbbb", "b", "10.0.0.2", 40003, 8080, true),
        new("web-2-cccccc", "b", "10.0.0.2", 40004, 8080, true),
        new("web-3-dddddd", "c", "10.0.0.3", 40005, 8080, false),
        new("web-4-eeeeee", "d", "fd00::4", 40006, 8080, true),
    ];

    public static TheoryData<string, string, RecordType, EndpointRow[]?, ReturnCode, string[], string[]> Cases => new()
    {
        // because, name, type, the job's endpoints (null: no such job), code, answers, additional records
        {
            "A: the distinct addresses of the healthy replicas", "web.orch", RecordType.A, Web, ReturnCode.NoError,
            ["web.orch. 5 IN A 10.0.0.1", "web.orch. 5 IN A 10.0.0.2"], []
        },
        { "AAAA: their IPv6 addresses", "web.orch", RecordType.Aaaa, Web, ReturnCode.NoError, ["web.orch. 5 IN AAAA fd00::4"], [] },
        { "names are case-insensitive", "WEB.Orch", RecordType.Aaaa, Web, ReturnCode.NoError, ["WEB.Orch. 5 IN AAAA fd00::4"], [] },
        { "a job without healthy replicas exists, with no address", "web.orch", RecordType.A, [Web[4]], ReturnCode.NoError, [], [] },
        { "a type the zone does not hold: no data", "web.orch", RecordType.Txt, Web, ReturnCode.NoError, [], [] },
        { "an unknown job does not exist", "nope.orch", RecordType.A, null, ReturnCode.NxDomain, [], [] },
        {
            "SRV: each healthy replica's published port for the container port, its target the replica's name",
            "_8080._tcp.web.orch", RecordType.Srv, Web[..4], ReturnCode.NoError,
            [
                "_8080._tcp.web.orch. 5 IN SRV 0 1 40001 0-aaaaaa.web.orch.",
                "_8080._tcp.web.orch. 5 IN SRV 0 1 40003 1-bbbbbb.web.orch.",
                "_8080._tcp.web.orch. 5 IN SRV 0 1 40004 2-cccccc.web.orch.",
            ],
            ["0-aaaaaa.web.orch. 5 IN A 10.0.0.1", "1-bbbbbb.web.orch. 5 IN A 10.0.0.2", "2-cccccc.web.orch. 5 IN A 10.0.0.2"]
        },
        {
            "SRV leaves out unhealthy replicas; an IPv6 target comes with its AAAA record",
            "_8080._tcp.web.orch", RecordType.Srv, Web, ReturnCode.NoError,
            [
                "_8080._tcp.web.orch. 5 IN SRV 0 1 40001 0-aaaaaa.web.orch.",
                "_8080._tcp.web.orch. 5 IN SRV 0 1 40003 1-bbbbbb.web.orch.",
                "_8080._tcp.web.orch. 5 IN SRV 0 1 40004 2-cccccc.web.orch.",
                "_8080._tcp.web.orch. 5 IN SRV 0 1 40006 4-eeeeee.web.orch.",
            ],
            ["0-aaaaaa.web.orch. 5 IN A 10.0.0.1", "1-bbbbbb.web.orch. 5 IN A 10.0.0.2", "2-cccccc.web.orch. 5 IN A 10.0.0.2", "4-eeeeee.web.orch. 5 IN AAAA fd00::4"]
        },
        { "SRV of another container port", "_9090._tcp.web.orch", RecordType.Srv, Web, ReturnCode.NoError, ["_9090._tcp.web.orch. 5 IN SRV 0 1 40002 0-aaaaaa.web.orch."], ["0-aaaaaa.web.orch. 5 IN A 10.0.0.1"] },
        { "SRV of a port no replica publishes: no data", "_7070._tcp.web.orch", RecordType.Srv, Web, ReturnCode.NoError, [], [] },
        { "SRV of an unknown job does not exist", "_8080._tcp.nope.orch", RecordType.Srv, null, ReturnCode.NxDomain, [], [] },
        { "a replica's name: its address", "1-bbbbbb.web.orch", RecordType.A, Web, ReturnCode.NoError, ["1-bbbbbb.web.orch. 5 IN A 10.0.0.2"], [] },
        { "an unhealthy replica's name: no address", "3-dddddd.web.orch", RecordType.A, Web, ReturnCode.NoError, [], [] },
        { "a replica that is not live does not exist", "9-zzzzzz.web.orch", RecordType.A, Web, ReturnCode.NxDomain, [], [] },
        { "a name of no form the zone has does not exist", "a.b.web.orch", RecordType.A, null, ReturnCode.NxDomain, [], [] },
        { "udp services are not published", "_8080._udp.web.orch", RecordType.Srv, null, ReturnCode.NxDomain, [], [] },
        { "the zone itself exists, with nothing to answer", "orch", RecordType.A, null, ReturnCode.NoError, [], [] },
        { "another zone is refused: no recursion", "example.com", RecordType.A, null, ReturnCode.Refused, [], [] },
        { "a name ending like the zone is another zone", "web.notorch", RecordType.A, null, ReturnCode.Refused, [], [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Answers(string because, string name, RecordType type, EndpointRow[]? endpoints, ReturnCode code, string[] answers, string[] additional)
    {
        var answer = ServiceDnsAnswers.Answer(new DnsQuestion(DomainName.Parse(name), type, RecordClass.INet), endpoints);

        Assert.True(answer.Code == code, $"{because}: got {answer.Code}");
        Assert.True(answer.Answers.Select(r => r.ToString()).SequenceEqual(answers), $"{because}: got [{string.Join(", ", answer.Answers)}]");
        Assert.True(answer.Additional.Select(r => r.ToString()).SequenceEqual(additional), $"{because}: got [{string.Join(", ", answer.Additional)}]");
    }

    [Fact]
    public void Another_class_than_internet_is_refused()
    {
        var answer = ServiceDnsAnswers.Answer(new DnsQuestion(DomainName.Parse("web.orch"), RecordType.A, RecordClass.Chaos), Web);

        Assert.Equal(ReturnCode.Refused, answer.Code);
    }

    [Theory]
    [InlineData("web.orch", "web", null, null)]
    [InlineData("Web.ORCH", "web", null, null)]
    [InlineData("0-aaaaaa.web.orch", "web", "web-0-aaaaaa", null)]
    [InlineData("_8080._tcp.web.orch", "web", null, 8080)]
    [InlineData("_0._tcp.web.orch", null, null, null)]
    [InlineData("_65536._tcp.web.orch", null, null, null)]
    [InlineData("_http._tcp.web.orch", null, null, null)]
    [InlineData("orch", null, null, null)]
    [InlineData("web.example", null, null, null)]
    public void Parses_the_names_of_the_zone(string name, string? job, string? task, int? containerPort)
    {
        var parsed = ServiceName.Parse(DomainName.Parse(name));

        Assert.Equal(job, parsed?.Job);
        Assert.Equal(task, parsed?.TaskId);
        Assert.Equal(containerPort, parsed?.ContainerPort);
    }
}
