namespace Orchestrator.Tests.Integration.Postgres;

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    /// <summary>Long enough that the reminder never fires during a test.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(7);

    public Task RegisterAsync(string reminderName) =>
        this.RegisterOrUpdateReminder(reminderName, Period, Period);

    public async Task<bool> HasReminderAsync(string reminderName) =>
        await this.GetReminder(reminderName) is not null;

    public async Task UnregisterAsync(string reminderName)
    {
        var reminder = await this.GetReminder(reminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
