using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// What the TLS tests share: a throwaway cluster CA, a second CA nobody trusts, and one silo with
/// mutual TLS (simulated machine, in-memory state) that most tests only knock on.
/// </summary>
public sealed class TlsSiloFixture : IAsyncLifetime
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("orch-tls-").FullName;
    private ThrowawayCertificateAuthority? _ca;
    private ThrowawayCertificateAuthority? _otherCa;
    private SiloProcess? _silo;

    internal string WorkDir => _workDir;

    internal string ClusterId { get; } = $"tls-{Guid.NewGuid():N}"[..16];

    internal ThrowawayCertificateAuthority Ca => _ca!;

    internal ThrowawayCertificateAuthority OtherCa => _otherCa!;

    /// <summary>Node <c>tls-a</c>, requiring client certificates from <see cref="Ca"/>.</summary>
    internal SiloProcess Silo => _silo!;

    public async Task InitializeAsync()
    {
        _ca = ThrowawayCertificateAuthority.Create("cluster-ca", _workDir);
        _otherCa = ThrowawayCertificateAuthority.Create("other-ca", _workDir);
        _silo = await SiloProcess.StartAsync(Settings("tls-a", ClusterId, requireClientCertificate: true));
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        _ca?.Dispose();
        _otherCa?.Dispose();
        Directory.Delete(_workDir, recursive: true);
    }

    /// <summary>A TLS silo's settings for <paramref name="node"/>, with a certificate <see cref="Ca"/> issues for it.</summary>
    internal Dictionary<string, string> Settings(string node, string clusterId, bool requireClientCertificate)
    {
        var certificate = Ca.IssueSilo($"silo-{node}");
        var settings = SiloSettings.For(null, clusterId, node);
        settings["Orchestrator:Runtime"] = "simulated";
        settings["Orchestrator:Tls:CertificatePath"] = certificate.Certificate;
        settings["Orchestrator:Tls:KeyPath"] = certificate.Key;
        settings["Orchestrator:Tls:CaPath"] = Ca.CertificatePath;
        settings["Orchestrator:Tls:RequireClientCertificate"] = requireClientCertificate ? "true" : "false";
        return settings;
    }
}
