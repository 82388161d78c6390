using Microsoft.Extensions.Configuration;
using Orchestrator.Silo.Persistence;
using Orleans.TestingHost;

namespace Orchestrator.Tests.Integration.Postgres;

/// <summary>The test client finds its gateways in the PostgreSQL membership table.</summary>
public sealed class PostgresClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
        clientBuilder.UseAdoNetClustering(options =>
        {
            options.Invariant = PostgresSiloBuilderExtensions.Invariant;
            options.ConnectionString = PostgresTestCluster.ConnectionString(configuration);
        });
}
