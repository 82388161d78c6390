namespace Orchestrator.Silo.Hosting;

/// <summary>Configuration the silo cannot start with; the message is one line naming the key and the cause.</summary>
public sealed class SiloConfigurationException : Exception
{
    public SiloConfigurationException()
    {
    }

    public SiloConfigurationException(string message) : base(message)
    {
    }

    public SiloConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
