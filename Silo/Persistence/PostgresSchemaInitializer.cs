namespace Orchestrator.Silo.Persistence;

/// <summary>
/// Applies the schema in the silo's first lifecycle stage, before membership, grain storage and
/// reminders read their queries from the database.
/// </summary>
internal sealed class PostgresSchemaInitializer(string connectionString, ILogger<PostgresSchemaInitializer> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(PostgresSchemaInitializer), ServiceLifecycleStage.First,
            ct => PostgresSchema.ApplyAsync(connectionString, logger, ct));
}
