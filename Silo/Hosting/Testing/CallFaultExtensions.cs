namespace Orchestrator.Silo.Hosting.Testing;

/// <summary>Registers <see cref="CallFaultFilter"/> when, and only when, the configuration asks for injected call faults.</summary>
public static class CallFaultExtensions
{
    public static ISiloBuilder UseTestingCallFaults(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(CallFaultOptions.Section);
        if (section.Get<CallFaultOptions>() is not { InjectsFaults: true })
        {
            return silo;
        }
        silo.Services.AddOptions<CallFaultOptions>().Bind(section);
        silo.AddIncomingGrainCallFilter<CallFaultFilter>();
        return silo;
    }
}
