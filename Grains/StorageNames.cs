namespace Orchestrator.Grains;

/// <summary>
/// The storage provider and the per-class state names. Each grain class has its own state name because
/// the ADO.NET storage keys rows by state name and grain key: two classes sharing a name and a key would share a row.
/// </summary>
public static class StorageNames
{
    /// <summary>The grain storage provider every grain uses; the silo registers it under this name.</summary>
    public const string Orchestrator = "orchestrator";

    public const string JobState = "job";
    public const string JobDirectoryState = "job-directory";
    public const string JobScheduleState = "job-schedule";
    public const string TaskState = "task";
    public const string NodeState = "node";
    public const string NodeDirectoryState = "node-directory";
    public const string SecretState = "secret";
    public const string SecretDirectoryState = "secret-directory";
}
