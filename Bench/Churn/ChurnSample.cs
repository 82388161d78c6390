namespace Orchestrator.Bench.Churn;

/// <summary>One look at the silo and its database during a churn run.</summary>
/// <param name="At">Time since the run started.</param>
/// <param name="ResidentMb">The silo process's resident memory (VmRSS).</param>
/// <param name="ManagedHeapMb">The managed memory Orleans' statistics report for the silo.</param>
/// <param name="Activations">Grain activations on the silo.</param>
/// <param name="StateRows">Rows in orleans_storage.</param>
/// <param name="ReminderRows">Rows in orleans_reminders.</param>
/// <param name="ListedJobs">Jobs the job directory lists.</param>
/// <param name="Submitted">Jobs submitted so far.</param>
internal sealed record ChurnSample(
    TimeSpan At,
    double ResidentMb,
    double ManagedHeapMb,
    int Activations,
    long StateRows,
    long ReminderRows,
    int ListedJobs,
    int Submitted);
