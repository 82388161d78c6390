using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Silo.Api;

/// <summary>A request's query or body (other than a job file, which has <see cref="JobSpecException"/>) breaks a rule: a 400 naming the field.</summary>
internal sealed class InvalidInputException : Exception
{
    public InvalidInputException()
    {
        Error = new SpecError("$", "is not valid");
    }

    public InvalidInputException(SpecError error) : base(error?.ToString())
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    public InvalidInputException(string message) : base(message)
    {
        Error = new SpecError("$", message);
    }

    public InvalidInputException(string message, Exception innerException) : base(message, innerException)
    {
        Error = new SpecError("$", message);
    }

    public SpecError Error { get; }
}
