using Orchestrator.Testing;

namespace Orchestrator.Bench.Engine;

/// <summary>
/// The main engine in swarm mode for the length of a run: initialised here (and left again at the end) only if
/// it was not in a swarm already; a swarm someone else made is used and left as it was.
/// </summary>
internal sealed class SwarmMode : IAsyncDisposable
{
    private readonly bool _initialisedHere;

    private SwarmMode(bool initialisedHere) => _initialisedHere = initialisedHere;

    public static async Task<SwarmMode> EnsureAsync()
    {
        var state = (await HostCommand.RunCheckedAsync("docker", "info", "--format", "{{.Swarm.LocalNodeState}}")).Trim();
        switch (state)
        {
            case "active":
                Progress.Say("swarm: the engine is already in a swarm; using it and leaving it as it is");
                return new SwarmMode(initialisedHere: false);
            case "inactive":
                await HostCommand.RunCheckedAsync("docker", "swarm", "init", "--advertise-addr", "127.0.0.1");
                Progress.Say("swarm: initialised on the engine (left again at the end)");
                return new SwarmMode(initialisedHere: true);
            default:
                throw new InvalidOperationException($"the engine's swarm state is '{state}'; expected active or inactive");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_initialisedHere)
        {
            var left = await HostCommand.RunAsync("docker", "swarm", "leave", "--force");
            Progress.Say(left.ExitCode == 0 ? "swarm: left" : $"swarm: leaving failed: {left}");
        }
    }
}
