namespace Orchestrator.Tests.Integration.Postgres;

[Alias("orch-test.reminder-probe")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task RegisterAsync(string reminderName);

    Task<bool> HasReminderAsync(string reminderName);

    Task UnregisterAsync(string reminderName);
}
