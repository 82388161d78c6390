using System.Collections.Concurrent;
using System.Reflection;
using Orchestrator.Abstractions.Access;

namespace Orchestrator.Silo.Auth;

/// <summary>
/// Refuses calls from clients outside the cluster to the orchestrator's internal grain methods (those without
/// <see cref="ClientFacingAttribute"/>). Calls between grains, and from a silo's own API and pages (its hosted
/// client), pass; so do Orleans' own interfaces, which the client runtime needs.
/// </summary>
/// <remarks>
/// A client names its own id, so a modified client could pass for a silo's hosted client: this filter keeps honest
/// mistakes and casual misuse out, and the node's own checks (the spec against its policy, the reservation against
/// the spec) are what hold against a hostile one.
/// </remarks>
internal sealed partial class InternalCallFilter(ILogger<InternalCallFilter> logger) : IIncomingGrainCallFilter
{
    // Orleans names a silo's hosted client "hosted-{silo address}"; an external client's id is a random one.
    private const string HostedClientPrefix = "hosted-";
    private static readonly string OwnNamespace = typeof(ClientFacingAttribute).Namespace!.Split('.')[0] + ".";
    private readonly ConcurrentDictionary<MethodInfo, bool> _internal = new();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.SourceId is { } source && IsExternalClient(source) && IsInternal(context.InterfaceMethod))
        {
            var method = $"{context.InterfaceMethod.DeclaringType?.Name}.{context.MethodName}";
            LogRefused(method, source.ToString());
            throw new CallRefusedException($"{method} is internal to the cluster; clients may not call it");
        }
        return context.Invoke();
    }

    private static bool IsExternalClient(GrainId source) =>
        source.IsClient() && !source.Key.ToString().StartsWith(HostedClientPrefix, StringComparison.Ordinal);

    private bool IsInternal(MethodInfo method) => _internal.GetOrAdd(method, static m =>
        m.DeclaringType?.Namespace?.StartsWith(OwnNamespace, StringComparison.Ordinal) == true
        && m.GetCustomAttribute<ClientFacingAttribute>() is null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a call to internal {Method} from client {Client}")]
    private partial void LogRefused(string method, string client);
}
