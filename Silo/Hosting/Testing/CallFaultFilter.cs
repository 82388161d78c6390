using Microsoft.Extensions.Options;

namespace Orchestrator.Silo.Hosting.Testing;

/// <summary>
/// Loses or delays a fraction of the calls between the orchestrator's own grains, as a flaky network between
/// silos would, so that the convergence tests can check that every call path survives a lost request or reply.
/// Registered only when <see cref="CallFaultOptions"/> asks for it; Orleans' own targets are never touched.
/// </summary>
internal sealed partial class CallFaultFilter(IOptions<CallFaultOptions> options, ILogger<CallFaultFilter> logger) : IIncomingGrainCallFilter
{
    /// <summary>How long the switch file's presence is trusted before it is looked at again, so a call costs no syscall.</summary>
    private static readonly TimeSpan SwitchCheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly CallFaultOptions _options = options.Value;
    private readonly Random _random = new(options.Value.Seed);
    private readonly Lock _lock = new();
    private bool _switchedOn;
    private long _switchCheckedAt = long.MinValue;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (!Targets(context) || !SwitchedOn())
        {
            await context.Invoke();
            return;
        }
        double drop, delay, length;
        lock (_lock)
        {
            drop = _random.NextDouble();
            delay = _random.NextDouble();
            length = _random.NextDouble();
        }
        if (drop < _options.DropRate)
        {
            // The lower half of the drop range loses the request, the upper half the reply.
            var requestLost = drop < _options.DropRate / 2;
            LogDropped(logger, context.InterfaceName, context.MethodName, requestLost ? "request" : "reply");
            if (!requestLost)
            {
                await context.Invoke();
            }
            throw new TimeoutException($"injected fault: the {(requestLost ? "request" : "reply")} of {context.InterfaceName}.{context.MethodName} was lost");
        }
        if (delay < _options.DelayRate)
        {
            await Task.Delay(_options.MaxDelay * length);
        }
        await context.Invoke();
    }

    /// <summary>Only interfaces of the orchestrator (namespaces Orchestrator.*), never Orleans' system targets or the dashboard's grains.</summary>
    private static bool Targets(IIncomingGrainCallContext context) =>
        context.InterfaceMethod?.DeclaringType?.Namespace is { } ns && ns.StartsWith("Orchestrator.", StringComparison.Ordinal);

    private bool SwitchedOn()
    {
        if (_options.SwitchFile is not { } path)
        {
            return true;
        }
        var now = Environment.TickCount64;
        lock (_lock)
        {
            if (now - _switchCheckedAt >= SwitchCheckInterval.TotalMilliseconds)
            {
                _switchedOn = File.Exists(path);
                _switchCheckedAt = now;
            }
            return _switchedOn;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Injected fault: dropped the {Part} of {Interface}.{Method}")]
    private static partial void LogDropped(ILogger logger, string @interface, string method, string part);
}
