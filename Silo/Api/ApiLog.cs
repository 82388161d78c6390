namespace Orchestrator.Silo.Api;

/// <summary>The API's log messages.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The HTTP API failed to answer {Method} {Path}")]
    public static partial void Unexpected(ILogger logger, Exception exception, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "The HTTP API ended a stream for {Path} early: {Reason}")]
    public static partial void StreamEnded(ILogger logger, PathString path, string reason);
}
