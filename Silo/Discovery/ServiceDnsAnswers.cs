using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Orchestrator.Operations.Output;

namespace Orchestrator.Silo.Discovery;

/// <summary>
/// The answer to one DNS question about the <c>orch</c> zone (<see cref="ServiceName"/>), from the endpoints of the job
/// it names (<see cref="Operations.Discovery.EndpointSet"/>). Pure: the server reads the endpoints, this decides.
/// Only healthy endpoints are answered; a name outside the zone is refused, since the silo resolves nothing else.
/// </summary>
internal static class ServiceDnsAnswers
{
    /// <summary>How long a resolver may keep an answer: short, so that a lost node's replicas leave the answers soon.</summary>
    public const int TtlSeconds = 5;

    /// <param name="question">The question, as asked.</param>
    /// <param name="endpoints">The endpoints of the job <see cref="ServiceName.Parse"/> finds in the question's name; null when no such job exists.</param>
    public static ServiceDnsAnswer Answer(DnsQuestion question, IReadOnlyList<EndpointRow>? endpoints)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (question.RecordClass is not (RecordClass.INet or RecordClass.Any) || !question.Name.IsEqualOrSubDomainOf(ServiceName.Zone))
        {
            return ServiceDnsAnswer.Of(ReturnCode.Refused);
        }
        if (question.Name.Equals(ServiceName.Zone))
        {
            return ServiceDnsAnswer.Of(ReturnCode.NoError);
        }
        if (ServiceName.Parse(question.Name) is not { } name || endpoints is null)
        {
            return ServiceDnsAnswer.Of(ReturnCode.NxDomain);
        }
        var healthy = endpoints.Where(e => e.Healthy).ToList();
        if (name.ContainerPort is { } port)
        {
            var ports = healthy.Where(e => e.ContainerPort == port).ToList();
            return question.RecordType is RecordType.Srv or RecordType.Any
                ? new ServiceDnsAnswer(
                    ReturnCode.NoError,
                    [.. ports.Select(e => new SrvRecord(question.Name, TtlSeconds, 0, 1, (ushort)e.Port, ServiceName.OfReplica(name.Job, e.Task)))],
                    [.. ports.DistinctBy(e => e.Task).SelectMany(e => Addresses(ServiceName.OfReplica(name.Job, e.Task), RecordType.Any, [e]))])
                : ServiceDnsAnswer.Of(ReturnCode.NoError);
        }
        if (name.TaskId is { } task)
        {
            return endpoints.Any(e => e.Task == task)
                ? new ServiceDnsAnswer(ReturnCode.NoError, Addresses(question.Name, question.RecordType, healthy.Where(e => e.Task == task)), [])
                : ServiceDnsAnswer.Of(ReturnCode.NxDomain);
        }
        return new ServiceDnsAnswer(ReturnCode.NoError, Addresses(question.Name, question.RecordType, healthy), []);
    }

    /// <summary>A and AAAA records, as <paramref name="type"/> asks, of the distinct addresses of <paramref name="endpoints"/>.</summary>
    private static List<DnsRecordBase> Addresses(DomainName owner, RecordType type, IEnumerable<EndpointRow> endpoints) =>
    [
        .. endpoints
            .Select(e => IPAddress.TryParse(e.Address, out var address) ? address : null)
            .OfType<IPAddress>()
            .Distinct()
            .Select(address => (address, ipv4: address.AddressFamily == AddressFamily.InterNetwork))
            .Where(a => type == RecordType.Any || (type == RecordType.A && a.ipv4) || (type == RecordType.Aaaa && !a.ipv4))
            .Select(a => a.ipv4 ? (DnsRecordBase)new ARecord(owner, TtlSeconds, a.address) : new AaaaRecord(owner, TtlSeconds, a.address)),
    ];
}
