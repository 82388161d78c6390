namespace Orchestrator.Grains.Inspection;

/// <summary>
/// Hands out a grain's persisted state as it stands, for the Orleans dashboard's grain-state view: the
/// dashboard calls a grain's parameterless methods whose <c>Task&lt;T&gt;</c> carries the type of one of
/// the grain's <c>IPersistentState&lt;T&gt;</c>. It lives here, beside the state records, rather than in
/// the client-facing contracts, which keep to the public views (<c>JobInfo</c>, <c>TaskInfo</c>, <c>NodeInfo</c>).
/// </summary>
/// <typeparam name="TState">The grain's persisted state record.</typeparam>
[Alias("state-inspectable`1")]
public interface IStateInspectableGrain<TState> : IGrainWithStringKey
{
    /// <summary>The grain's persisted state as this activation holds it (the default record before the first write).</summary>
    [Alias("get-state")]
    Task<TState> GetStateAsync();
}
