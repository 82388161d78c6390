namespace Orchestrator.Security;

/// <summary>TLS settings that cannot be used; the message is one line naming the setting and the cause.</summary>
public sealed class TlsSettingsException : Exception
{
    public TlsSettingsException()
    {
    }

    public TlsSettingsException(string message) : base(message)
    {
    }

    public TlsSettingsException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
