using System.Security.Cryptography;

namespace Orchestrator.Abstractions.Tasks;

/// <summary>
/// Task ids: <c>JOB-SLOT-xxxxxx</c>, unique, readable, never all digits (the ADO.NET storage reads
/// all-digit string keys as integers).
/// </summary>
public static class TaskIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(string job, int slot)
    {
        ArgumentNullException.ThrowIfNull(job);
        return $"{job}-{slot}-{RandomNumberGenerator.GetString(Alphabet, 6)}";
    }
}
