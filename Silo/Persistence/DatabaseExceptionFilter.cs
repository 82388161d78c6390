using Orchestrator.Abstractions.Storage;

namespace Orchestrator.Silo.Persistence;

/// <summary>
/// Turns a database failure that escapes a grain call (a reminder that could not be registered, a query
/// of any provider) into a <see cref="StorageFailedException"/> that says why in one line. Left as it is,
/// the driver's exception reaches a client that has no such type and reads only "could not find a codec".
/// </summary>
internal sealed partial class DatabaseExceptionFilter(ILogger<DatabaseExceptionFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (e is not StorageFailedException && DatabaseFailures.IsDatabase(e))
        {
            var method = $"{context.InterfaceName}.{context.MethodName}";
            LogDatabaseFailure(e, method);
            throw new StorageFailedException(DatabaseFailures.IsUnreachable(e)
                ? $"the cluster's database could not be reached ({DatabaseFailures.Describe(e)}); try again once it is back"
                : $"the cluster's database failed: {DatabaseFailures.Describe(e)}");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} failed on a database error")]
    private partial void LogDatabaseFailure(Exception exception, string method);
}
