namespace Orchestrator.Abstractions.Storage;

/// <summary>
/// Grain state could not be read or written: the cluster's database failed or could not be reached in time.
/// The message says why in one line; the operation may be sent again once the database is back.
/// </summary>
/// <remarks>
/// The silo raises this in place of the database driver's own exceptions, which carry types a client does
/// not have and so could not even be read on its side. It never carries the driver's exception as its inner
/// exception for the same reason; the silo logs that one.
/// </remarks>
[GenerateSerializer, Alias("storage-failed-exception")]
public sealed class StorageFailedException : Exception
{
    public StorageFailedException()
    {
    }

    public StorageFailedException(string message) : base(message)
    {
    }

    public StorageFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
