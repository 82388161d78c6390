using Xunit;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// One <see cref="EngineRig"/> of three engines (node-1, node-2, node-3) shared by every test in the
/// <see cref="ClusterRigTests"/> collection: started before the first, disposed after the last.
/// Tests leave each engine running and remove the containers they made.
/// </summary>
public sealed class ClusterRigFixture : IAsyncLifetime
{
    public const int EngineCount = 3;

    private EngineRig? _rig;

    public EngineRig Rig => _rig ?? throw new InvalidOperationException("the rig is not started yet");

    public IReadOnlyList<RigEngine> Engines => Rig.Engines;

    public async Task InitializeAsync() => _rig = await EngineRig.StartAsync(EngineCount);

    public async Task DisposeAsync()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }
}
