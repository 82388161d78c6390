namespace Orchestrator.Grains.Nodes;

/// <summary>The environment variables a node gives every container it starts for a task (README, The job file).</summary>
public static class TaskEnvironment
{
    /// <summary>The node the container runs on.</summary>
    public const string Node = "ORCH_NODE";

    /// <summary>The task the container belongs to.</summary>
    public const string TaskId = "ORCH_TASK_ID";

    /// <summary>The task's job.</summary>
    public const string Job = "ORCH_JOB";
}
