namespace Orchestrator.Client.Connection;

/// <summary>Which cluster to join: the silos' <c>Orleans:ClusterId</c> and <c>Orleans:ServiceId</c>.</summary>
internal sealed record ClusterIdentity(string ClusterId, string ServiceId)
{
    public const string DefaultId = "orchestrator";
    public const string ClusterIdVariable = "ORCH_CLUSTER_ID";
    public const string ServiceIdVariable = "ORCH_SERVICE_ID";

    /// <summary>The ids from <c>ORCH_CLUSTER_ID</c> and <c>ORCH_SERVICE_ID</c>, else <c>orchestrator</c> for both, as the silo defaults.</summary>
    public static ClusterIdentity FromEnvironment() => new(
        Environment.GetEnvironmentVariable(ClusterIdVariable) is { Length: > 0 } cluster ? cluster : DefaultId,
        Environment.GetEnvironmentVariable(ServiceIdVariable) is { Length: > 0 } service ? service : DefaultId);
}
