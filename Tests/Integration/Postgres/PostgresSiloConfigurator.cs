using Orchestrator.Silo.Persistence;
using Orleans.TestingHost;

namespace Orchestrator.Tests.Integration.Postgres;

/// <summary>Test silos on PostgreSQL, through the same extension the real silo uses.</summary>
public sealed class PostgresSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder) =>
        siloBuilder.UsePostgres(PostgresTestCluster.ConnectionString(siloBuilder.Configuration), PostgresTestCluster.StorageName);
}
