using System.Globalization;

namespace Orchestrator.Bench;

/// <summary>What the benchmark is doing, on stderr, so that stdout holds only the result.</summary>
internal static class Progress
{
    public static void Say(string message) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{DateTime.Now:HH:mm:ss}] {message}"));
}
