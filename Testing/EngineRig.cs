using System.Diagnostics;
using System.Security.Cryptography;
using Docker.DotNet;

namespace Orchestrator.Testing;

/// <summary>
/// Several independent Docker engines on this one machine, one per simulated machine, so that cluster tests can
/// run one real silo per engine. Everything the rig makes lives under <c>/tmp/orch-rig-XXXX</c> (XXXX: 4 random
/// hex digits, the rig's tag) and on bridges named <c>obXXXXN</c>; disposing the rig removes all of it, and
/// starting a rig first removes what a crashed earlier run left.
/// </summary>
/// <remarks>
/// <para>
/// Each engine's dockerd has its own data root, exec root, pid file, socket and Linux bridge (172.30.X.1/24,
/// X free on this host), runs with <c>--iptables=false</c> and vfs storage, and holds a copy of
/// <see cref="MainEngine.TestImage"/>, loaded from the main engine with no registry involved. The main
/// engine is only read from. Ports published on 127.0.0.1 work on every engine.
/// </para>
/// <para>
/// A rig needs root (it makes bridges and starts dockerd) and the test image on the main engine
/// (<c>ORCH_TEST_DOCKER</c>, default the local socket).
/// </para>
/// </remarks>
public sealed class EngineRig : IAsyncDisposable
{
    private const int MaxEngines = 99;

    private readonly Lock _disposalLock = new();
    private Task? _disposal;

    private EngineRig(string root, string tag, IReadOnlyList<RigEngine> engines)
    {
        Root = root;
        Tag = tag;
        Engines = engines;
    }

    /// <summary>The folder holding every engine's files, <c>/tmp/orch-rig-</c> and <see cref="Tag"/>.</summary>
    public string Root { get; }

    /// <summary>4 hex digits naming this rig's root and bridges, unique among the rigs on this host.</summary>
    public string Tag { get; }

    /// <summary>The engines, <c>node-1</c> first.</summary>
    public IReadOnlyList<RigEngine> Engines { get; }

    /// <summary>How long <see cref="StartAsync"/> took, leftover clean-up included.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>How long disposal took, once it has.</summary>
    public TimeSpan? DisposeDuration { get; private set; }

    /// <summary>Starts <paramref name="count"/> engines in parallel and waits until each answers and holds the test image.</summary>
    public static async Task<EngineRig> StartAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxEngines);
        var stopwatch = Stopwatch.StartNew();

        await RigSweeper.CleanUpLeftoversAsync();
        var (root, tag) = await ClaimRootAsync();
        IReadOnlyList<int> octets;
        try
        {
            octets = await RigBridges.ClaimAsync(tag, count);
        }
        catch (InvalidOperationException)
        {
            Directory.Delete(root, recursive: true);
            throw;
        }
        var engines = Enumerable.Range(1, count)
            .Select(i => new RigEngine(i, Path.Combine(root, $"e{i}"), RigBridges.Name(tag, i), octets[i - 1]))
            .ToArray();
        var rig = new EngineRig(root, tag, engines);
        try
        {
            var archive = Path.Combine(root, "image.tar");
            await SaveTestImageAsync(archive, cancellationToken);
            await Task.WhenAll(engines.Select(e => e.SetUpAsync(archive, cancellationToken)));
            File.Delete(archive);
        }
        catch (Exception failure)
        {
            try
            {
                await rig.DisposeAsync();
            }
            catch (AggregateException cleanup)
            {
                throw new AggregateException("the engine rig failed to start and was not fully removed", [failure, .. cleanup.InnerExceptions]);
            }
            throw;
        }
        rig.StartDuration = stopwatch.Elapsed;
        return rig;
    }

    /// <summary>
    /// Removes what rigs of crashed test runs left: their dockerd, containerd, shim and container processes,
    /// mounts, bridges and folders. Rigs whose test run still runs are left alone. <see cref="StartAsync"/> calls it.
    /// </summary>
    public static Task CleanUpLeftoversAsync() => RigSweeper.CleanUpLeftoversAsync();

    /// <summary>
    /// Removes every container, stops every engine (SIGTERM, SIGKILL after 10 s), kills whatever of theirs still
    /// runs, and deletes the bridges and the root. Safe to call more than once; throws if something could not be
    /// removed, after trying everything else.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        Task disposal;
        lock (_disposalLock)
        {
            disposal = _disposal ??= DisposeOnceAsync();
        }
        await disposal;
    }

    private async Task DisposeOnceAsync()
    {
        var stopwatch = Stopwatch.StartNew();
        var problems = new List<Exception>();
        try
        {
            await Task.WhenAll(Engines.Select(e => e.ShutDownAsync(problems)));
        }
        finally
        {
            await RigSweeper.SweepAsync(Root, Engines.Select(e => e.Bridge), problems);
            DisposeDuration = stopwatch.Elapsed;
        }
        if (problems.Count > 0)
        {
            throw new AggregateException($"the engine rig at {Root} was not fully removed", problems);
        }
    }

    private static async Task<(string Root, string Tag)> ClaimRootAsync()
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var tag = RandomNumberGenerator.GetHexString(4, lowercase: true);
            var root = RigSweeper.RootOf(tag);
            if (Directory.Exists(root) || await RigBridges.ExistsAsync(RigBridges.Name(tag, 1)))
            {
                continue;
            }
            Directory.CreateDirectory(root);
            if (RigOwnership.TryClaim(root))
            {
                return (root, tag);
            }
        }
        throw new InvalidOperationException("found no free rig tag in 20 attempts");
    }

    private static async Task SaveTestImageAsync(string archive, CancellationToken cancellationToken)
    {
        var endpoint = MainEngine.Endpoint;
        using var main = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).Build();
        try
        {
            await using var image = await main.Images.SaveImageAsync(MainEngine.TestImage, cancellationToken);
            await using var file = File.Create(archive);
            await image.CopyToAsync(file, cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException(
                $"{MainEngine.TestImage} is not on the main engine at {endpoint}, which the rig copies it from; " +
                "build it with scripts/lib/common.sh ensure_test_image", e);
        }
    }
}
