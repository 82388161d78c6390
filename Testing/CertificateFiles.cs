namespace Orchestrator.Testing;

/// <summary>A certificate and its private key, as PEM files.</summary>
internal sealed record CertificateFiles(string Certificate, string Key);
