using Orchestrator.Grains.Persistence;
using Xunit;

namespace Orchestrator.Tests.Persistence;

/// <summary>
/// Group commit of a reentrant grain's state, as a table of scripts run one grain turn at a time on the test's
/// thread, against a storage whose writes finish only when the script says so.
/// </summary>
public sealed class CoalescingStateWriterTests
{
    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // because; script: w a caller changes the state (to its own number) and writes, . the grain's queued turns run,
        // c the oldest storage write commits, f it fails; then the states written (in order); each caller after the script
        // (o done, x failed, - waiting); each caller once every write has committed
        { "a lone write", "w.", "1", "-", "o" },
        { "a lone write commits", "w.c", "1", "o", "o" },
        { "callers in one turn share one write of the latest state", "www.", "3", "---", "ooo" },
        { "callers during a write share the next one", "w.ww.", "1 3", "---", "ooo" },
        { "callers in separate turns during a write share the next one", "w.w.w.", "1 3", "---", "ooo" },
        { "the first caller is done when its write commits, the others wait for theirs", "w.ww.c", "1 3", "o--", "ooo" },
        { "a caller after the queued write began waits for one more", "w.w.cw.", "1 2 3", "o--", "ooo" },
        { "writes after each other are each their own", "w.c.w.c", "1 2", "oo", "oo" },
        { "a failed write fails its callers only; the next one writes anyway", "w.ww.f", "1 3", "x--", "xoo" },
        { "a failed write with nobody after it", "w.f", "1", "x", "x" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Writes(string because, string script, string written, string afterScript, string atTheEnd)
    {
        var storage = new HeldStorage();
        var writer = new CoalescingStateWriter<int>(storage);
        var turns = new GrainTurns();
        var callers = new List<Task>();

        foreach (var step in script)
        {
            switch (step)
            {
                case 'w':
                    turns.Run(() =>
                    {
                        storage.State = callers.Count + 1;
                        callers.Add(writer.WriteAsync());
                    }, thenQueued: false);
                    break;
                case '.':
                    turns.Run(() => { });
                    break;
                case 'c':
                    turns.Run(() => storage.Finish(failed: false));
                    break;
                case 'f':
                    turns.Run(() => storage.Finish(failed: true));
                    break;
                default:
                    throw new ArgumentException($"unknown step {step}", nameof(script));
            }
        }
        var seenAfterScript = Outcomes(callers);
        while (storage.InFlight)
        {
            turns.Run(() => storage.Finish(failed: false));
        }

        Assert.True(written == string.Join(" ", storage.Written), $"{because}: wrote {string.Join(" ", storage.Written)}");
        Assert.True(afterScript == seenAfterScript, $"{because}: after the script the callers were {seenAfterScript}");
        Assert.True(atTheEnd == Outcomes(callers), $"{because}: at the end the callers were {Outcomes(callers)}");
        Assert.False(storage.Overlapped, $"{because}: two writes were in flight at once");
    }

    private static string Outcomes(IEnumerable<Task> callers) =>
        string.Concat(callers.Select(c => c.IsCompletedSuccessfully ? 'o' : c.IsFaulted ? 'x' : '-'));

    /// <summary>One grain's turns: continuations queue up and run, one at a time, on the test's thread when it says so.</summary>
    private sealed class GrainTurns : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _queued = new();

        public override void Post(SendOrPostCallback d, object? state) => _queued.Enqueue((d, state));

        /// <summary>Runs <paramref name="turn"/>, then (unless told not to) every turn it and they queue.</summary>
        public void Run(Action turn, bool thenQueued = true)
        {
            var previous = Current;
            SetSynchronizationContext(this);
            try
            {
                turn();
                while (thenQueued && _queued.TryDequeue(out var next))
                {
                    next.Callback(next.State);
                }
            }
            finally
            {
                SetSynchronizationContext(previous);
            }
        }
    }

    /// <summary>A grain state whose writes record the state they store and finish only when told.</summary>
    private sealed class HeldStorage : IPersistentState<int>
    {
        private TaskCompletionSource? _inFlight;

        public int State { get; set; }

        public string? Etag => null;

        public bool RecordExists => Written.Count > 0;

        public List<int> Written { get; } = [];

        public bool Overlapped { get; private set; }

        public bool InFlight => _inFlight is not null;

        public Task WriteStateAsync()
        {
            Overlapped |= InFlight;
            Written.Add(State);
            _inFlight = new TaskCompletionSource();
            return _inFlight.Task;
        }

        public void Finish(bool failed)
        {
            var write = _inFlight ?? throw new InvalidOperationException("no write in flight");
            _inFlight = null;
            if (failed)
            {
                write.SetException(new InvalidOperationException("storage refused the write"));
            }
            else
            {
                write.SetResult();
            }
        }

        public Task ReadStateAsync() => Task.CompletedTask;

        public Task ClearStateAsync() => Task.CompletedTask;
    }
}
