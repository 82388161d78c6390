using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace Orchestrator.Silo.Persistence;

/// <summary>What a failure of a database call says about the database.</summary>
internal static class DatabaseFailures
{
    /// <summary>
    /// True when the database could not be reached or went away during the call (refused or lost connection,
    /// server shutting down or starting up or out of connection slots, a pooled connection the server had
    /// closed): the same call may succeed once it is back. A query the server answered with any other error
    /// is not such a failure.
    /// </summary>
    public static bool IsUnreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    // Class 08 is "connection exception"; 57P01–57P03 are admin shutdown, crash shutdown, cannot
                    // connect now; 53300 is a connection refused for too many clients (of this and other services).
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                            or PostgresErrorCodes.TooManyConnections;
                case NpgsqlException:
                    // Npgsql's own (not the server's) errors are about reaching the server: connect, I/O, timeouts.
                    return true;
                case SocketException or IOException or TimeoutException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>True when the failure came from the database or its driver.</summary>
    public static bool IsDatabase(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The driver's own message, one line, for users who never see its type.</summary>
    public static string Describe(Exception exception)
    {
        var cause = exception;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                cause = e;
                break;
            }
        }
        var message = cause.Message;
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
