namespace Orchestrator.Client;

/// <summary>A command ends with <see cref="ExitCode"/> and its one-line message on stderr.</summary>
internal sealed class CommandFailedException : Exception
{
    public CommandFailedException(int exitCode, string message) : base(message)
    {
        ExitCode = exitCode;
    }

    public CommandFailedException() : this(ExitCodes.Failed, "the command failed")
    {
    }

    public CommandFailedException(string message) : this(ExitCodes.Failed, message)
    {
    }

    public CommandFailedException(string message, Exception innerException) : base(message, innerException)
    {
        ExitCode = ExitCodes.Failed;
    }

    public int ExitCode { get; }

    public static CommandFailedException Failed(string message) => new(ExitCodes.Failed, message);

    public static CommandFailedException NotFound(string message) => new(ExitCodes.Failed, message);

    public static CommandFailedException BadInput(string message) => new(ExitCodes.Usage, message);
}
