using System.Globalization;

namespace Orchestrator.Testing;

/// <summary>
/// One test's share of the Docker engine: unique container names and a unique label, and on disposal
/// the removal of every container carrying that label, whether the test passed or not.
/// </summary>
public sealed class DockerTestScope : IAsyncDisposable
{
    private readonly DockerTestEngine _engine;

    internal DockerTestScope(DockerTestEngine engine)
    {
        _engine = engine;
        Id = Guid.NewGuid().ToString("N")[..12];
        Labels = new Dictionary<string, string> { [DockerTestEngine.ScopeLabel] = Id };
    }

    public string Id { get; }

    /// <summary>Put these on every container the test creates.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>A container name no other test uses.</summary>
    public string Name(string purpose) => string.Create(CultureInfo.InvariantCulture, $"orch-test-{Id}-{purpose}");

    /// <summary>The scope's labels plus <paramref name="extra"/>.</summary>
    public IReadOnlyDictionary<string, string> LabelsWith(IReadOnlyDictionary<string, string> extra)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var labels = new Dictionary<string, string>(Labels);
        foreach (var (key, value) in extra)
        {
            labels[key] = value;
        }

        return labels;
    }

    public async ValueTask DisposeAsync() => await _engine.RemoveContainersAsync(Labels);
}
