namespace Orchestrator.Abstractions.Access;

/// <summary>A client called a grain method internal to the cluster; the silo refused it and nothing was done.</summary>
[GenerateSerializer, Alias("call-refused-exception")]
public sealed class CallRefusedException : Exception
{
    public CallRefusedException()
    {
    }

    public CallRefusedException(string message) : base(message)
    {
    }

    public CallRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
