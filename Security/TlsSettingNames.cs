namespace Orchestrator.Security;

/// <summary>How the user spells each of <see cref="TlsSettings"/>' values, so an error names what to fix.</summary>
public sealed record TlsSettingNames(string CertificatePath, string KeyPath, string CertificatePassword, string CaPath);
