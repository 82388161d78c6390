using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Scheduling;
using Orchestrator.Abstractions.Tasks;
using Orchestrator.Grains.Tasks;

namespace Orchestrator.Grains.Jobs;

/// <summary>
/// The last known state of each task that holds one of a job's slots or was started beside one: read from the task
/// grains when the job activates or distrusts what it knows, then kept current by what the tasks tell the job and
/// what its own calls to them return, which start and stop them. In memory only; the job's stored state says which tasks hold the slots.
/// </summary>
public sealed class SlotTasks(IPersistentState<JobState> state, IGrainFactory grains)
{
    private readonly Dictionary<string, TaskInfo> _tasks = new(StringComparer.Ordinal);
    private object? _indexedSlots;
    private object? _indexedSurge;
    private HashSet<string> _holders = new(StringComparer.Ordinal);

    /// <summary>Task id → its last known state; a task not started yet has none.</summary>
    public IReadOnlyDictionary<string, TaskInfo> Known => _tasks;

    /// <summary>False until the tasks were read, and again once what is known of them may be wrong.</summary>
    public bool IsLoaded { get; private set; }

    /// <summary>Reads every task that holds a slot, unless they were read and nothing made that doubtful since.</summary>
    public async Task LoadAsync()
    {
        if (IsLoaded)
        {
            return;
        }
        var infos = await ReadAsync(state.State.Slots.Values.Concat(state.State.Surge.Values));
        _tasks.Clear();
        Keep(infos);
        IsLoaded = true;
    }

    /// <summary>
    /// Reads these tasks again, whatever is known of them; every task that holds a slot when <paramref name="ids"/> is
    /// null or none were read yet.
    /// </summary>
    public async Task RereadAsync(IReadOnlyCollection<string>? ids)
    {
        if (ids is null || !IsLoaded)
        {
            Invalidate();
            await LoadAsync();
            return;
        }
        Keep(await ReadAsync(ids));
    }

    private Task<TaskInfo?[]> ReadAsync(IEnumerable<string> ids) => Task.WhenAll(ids.Select(id => grains.GetGrain<ITaskGrain>(id).GetAsync()));

    /// <summary>Takes what the tasks that exist answered, over whatever was known of them.</summary>
    private void Keep(IEnumerable<TaskInfo?> infos)
    {
        foreach (var info in infos.OfType<TaskInfo>())
        {
            _tasks[info.Id] = info;
        }
    }

    /// <summary>
    /// The job's tasks that <paramref name="query"/> asks for, as summaries. A task tells its job when it ends, so an
    /// ended task known here is final and answered from here; a live one does not tell of its health or ports,
    /// so it answers for itself.
    /// </summary>
    public async Task<IReadOnlyList<TaskSummary>> ListAsync(TaskQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var ids = query.Select([.. state.State.Slots.Values, .. state.State.Surge.Values], state.State.History);
        var infos = await Task.WhenAll(ids.Select(id => _tasks.GetValueOrDefault(id) is { } known && TaskTransitions.IsTerminal(known.State)
            ? Task.FromResult<TaskInfo?>(known)
            : grains.GetGrain<ITaskGrain>(id).GetAsync()));
        return query.Summarize(infos.OfType<TaskInfo>());
    }

    /// <summary>What is known may be wrong (a change failed part way, tasks were told something): the next load reads them again.</summary>
    public void Invalidate() => IsLoaded = false;

    /// <summary>Forgets every task: the job is gone.</summary>
    public void Clear()
    {
        _tasks.Clear();
        IsLoaded = false;
    }

    /// <summary>
    /// Takes what a task said of itself, or what a call to it returned, unless what is known has a later move: a task's
    /// notices are not sent in turn, so one of Scheduled may arrive after the one of Running.
    /// </summary>
    public void Record(TaskInfo task)
    {
        ArgumentNullException.ThrowIfNull(task);
        if (_tasks.TryGetValue(task.Id, out var known) && LastMove(known) > LastMove(task))
        {
            return;
        }
        _tasks[task.Id] = task;
    }

    private static DateTimeOffset LastMove(TaskInfo task) => task.Events.Count > 0 ? task.Events[^1].Time : task.CreatedAt;

    /// <summary>Whether the task holds one of the job's slots; the ids are indexed once per change of the slots, not scanned per call.</summary>
    public bool HoldsSlot(string taskId)
    {
        if (!ReferenceEquals(_indexedSlots, state.State.Slots) || !ReferenceEquals(_indexedSurge, state.State.Surge))
        {
            _indexedSlots = state.State.Slots;
            _indexedSurge = state.State.Surge;
            _holders = state.State.Holders();
        }
        return _holders.Contains(taskId);
    }

    /// <summary>The tasks holding a slot, or started beside one, that have not ended, as last known.</summary>
    public IEnumerable<TaskInfo> Live() =>
        state.State.Slots.Values.Concat(state.State.Surge.Values)
            .Select(id => _tasks.GetValueOrDefault(id)).OfType<TaskInfo>().Where(t => !TaskTransitions.IsTerminal(t.State));

    /// <summary>Starts these new tasks of the job, all running <paramref name="spec"/>.</summary>
    public async Task StartAsync(JobSpec spec, IReadOnlyList<(string TaskId, TaskAssignment Assignment)> starts)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(starts);
        if (starts.Count == 0)
        {
            return;
        }
        // One plan for all new replicas, counting each against the next, so they spread (or pack) as a whole
        // even though each task then places itself, possibly from several silos at once.
        // A single replica needs no plan: its own ranking is the plan.
        var planned = starts.Count == 1 ? null : await grains.GetGrain<ISchedulerGrain>(0).PlanCondensedAsync(spec with { Replicas = starts.Count }, TaskGrain.KeptPlacementDetails);
        var placements = planned?.Placements.ToDictionary(p => p.Replica) ?? [];
        var started = await Task.WhenAll(starts.Select((s, i) => grains.GetGrain<ITaskGrain>(s.TaskId)
            .StartAsync(s.Assignment with { Planned = placements.GetValueOrDefault(i) })));
        foreach (var task in started)
        {
            _tasks[task.Id] = task;
        }
    }

    /// <summary>Stops these tasks; one that never started (its job knows nothing of it) has nothing to stop.</summary>
    public async Task StopAsync(IEnumerable<TaskStop> stops)
    {
        var stopped = await Task.WhenAll(stops
            .Where(s => _tasks.ContainsKey(s.TaskId))
            .Select(s => grains.GetGrain<ITaskGrain>(s.TaskId).StopAsync(s.Reason)));
        foreach (var task in stopped)
        {
            _tasks[task.Id] = task;
        }
    }
}
