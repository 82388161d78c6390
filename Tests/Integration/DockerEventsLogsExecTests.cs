using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Nodes.Runtime;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>The Docker runtime's streams against the real engine: die events, demultiplexed logs, exec.</summary>
public sealed class DockerEventsLogsExecTests : IClassFixture<DockerTestEngine>, IDisposable
{
    private readonly DockerTestEngine _engine;
    private readonly DockerContainerRuntime _runtime;

    public DockerEventsLogsExecTests(DockerTestEngine engine)
    {
        _engine = engine;
        _runtime = engine.CreateRuntime();
    }

    public void Dispose() => _runtime.Dispose();

    [Fact]
    public async Task A_die_event_arrives_for_a_labelled_container_and_not_for_others()
    {
        await using var scope = _engine.NewScope();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = _runtime.WatchAsync(scope.Labels, stop.Token).GetAsyncEnumerator(stop.Token);
        var next = events.MoveNextAsync().AsTask();
        // The subscription reaches the engine a moment after the first MoveNext; events before it are not replayed.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await using var other = _engine.NewScope();
        await StartAsync(other, "other", ["sh", "-c", "exit 1"]);

        var id = await StartAsync(scope, "dies", ["sh", "-c", "exit 4"]);

        Assert.True(await next);
        Assert.Equal(id, events.Current.ContainerId);
        Assert.Equal(ContainerEvent.Die, events.Current.Action);
        Assert.Equal(scope.Id, events.Current.Labels[DockerTestEngine.ScopeLabel]);
    }

    [Fact]
    public async Task Logs_keep_stdout_and_stderr_apart_and_a_follow_ends_when_the_container_does()
    {
        await using var scope = _engine.NewScope();
        var id = await StartAsync(scope, "talks", ["sh", "-c", "echo out; echo err >&2; sleep 1; echo late"]);

        var followed = await _runtime.ReadLogsAsync(id, follow: true, CancellationToken.None).ToListAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        var again = await _runtime.ReadLogsAsync(id, follow: false, CancellationToken.None).ToListAsync();

        Assert.Equal("out\nlate\n", string.Concat(followed.Where(c => c.Source == LogSource.Stdout).Select(c => c.Text)));
        Assert.Equal("err\n", string.Concat(followed.Where(c => c.Source == LogSource.Stderr).Select(c => c.Text)));
        Assert.Equal(followed.Select(c => c.Text).Order(), again.Select(c => c.Text).Order());
        var missing = await Assert.ThrowsAsync<ContainerRuntimeException>(() => _runtime.ReadLogsAsync("nosuchcontainer", false, CancellationToken.None).ToListAsync().AsTask());
        Assert.Equal(ContainerRuntimeFailure.ContainerNotFound, missing.Failure);
    }

    [Fact]
    public async Task Exec_returns_the_commands_exit_code_and_output()
    {
        await using var scope = _engine.NewScope();
        var id = await StartAsync(scope, "host", ["sleep", "60"]);

        var passed = await _runtime.ExecAsync(id, ["sh", "-c", "echo fine"], CancellationToken.None);
        var failed = await _runtime.ExecAsync(id, ["sh", "-c", "echo broken >&2; exit 7"], CancellationToken.None);

        Assert.Equal(new ExecResult(0, "fine\n"), passed);
        Assert.Equal(new ExecResult(7, "broken\n"), failed);
    }

    private async Task<string> StartAsync(DockerTestScope scope, string name, IReadOnlyList<string> command)
    {
        var id = await _runtime.CreateAsync(new ContainerCreateRequest
        {
            Name = scope.Name(name),
            Image = MainEngine.TestImage,
            Command = command,
            Labels = scope.Labels,
        }, CancellationToken.None);
        await _runtime.StartAsync(id, CancellationToken.None);
        return id;
    }
}
