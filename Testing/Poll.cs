using System.Text.Json;

namespace Orchestrator.Testing;

/// <summary>Waiting for something a test or benchmark cannot be told about, by asking again every half second.</summary>
internal static class Poll
{
    /// <summary>
    /// Calls <paramref name="probe"/> until what it returns satisfies <paramref name="done"/> (60 s unless
    /// <paramref name="timeout"/> says otherwise) and returns that; times out naming the last answer, as JSON.
    /// </summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        var last = await probe();
        while (!done(last))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not reached; last seen: {JsonSerializer.Serialize(last)}");
            }
            await Task.Delay(500);
            last = await probe();
        }
        return last;
    }
}
