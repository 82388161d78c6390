using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace Orchestrator.Tests.Integration.Postgres;

/// <summary>Starts a <see cref="TestCluster"/> whose membership, grain state and reminders live in PostgreSQL.</summary>
public static class PostgresTestCluster
{
    public const string StorageName = "orch-test";

    private const string ConnectionStringKey = "OrchTest:PostgresConnectionString";

    /// <summary>
    /// Deploys <paramref name="silos"/> silos. Clusters started with the same ids against the same
    /// database see each other's membership rows and grain state, as a restarted deployment would.
    /// </summary>
    public static async Task<TestCluster> StartAsync(string connectionString, string serviceId, string clusterId, short silos = 1)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        builder.Options.ClusterId = clusterId;
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConfigureFileLogging = false;
        builder.Properties[ConnectionStringKey] = connectionString;
        builder.AddSiloBuilderConfigurator<PostgresSiloConfigurator>();
        builder.AddClientBuilderConfigurator<PostgresClientConfigurator>();

        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    internal static string ConnectionString(IConfiguration configuration) =>
        configuration[ConnectionStringKey]
        ?? throw new InvalidOperationException($"The test cluster configuration has no {ConnectionStringKey}.");
}
