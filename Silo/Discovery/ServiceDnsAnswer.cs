using ARSoft.Tools.Net.Dns;

namespace Orchestrator.Silo.Discovery;

/// <summary>What the silo's DNS server says to one question: the return code, the answers and the additional records.</summary>
internal sealed record ServiceDnsAnswer(ReturnCode Code, IReadOnlyList<DnsRecordBase> Answers, IReadOnlyList<DnsRecordBase> Additional)
{
    public static ServiceDnsAnswer Of(ReturnCode code) => new(code, [], []);
}
