using Npgsql;
using Orchestrator.Silo.Persistence;
using Xunit;

namespace Orchestrator.Tests.Persistence;

public sealed class PostgresPoolLimitTests
{
    [Fact]
    public void A_connection_string_without_a_pool_limit_gets_the_silos_default()
    {
        var limited = PostgresSiloBuilderExtensions.WithDefaultPoolLimit("Host=db;Username=orch;Database=orch");

        var parsed = new NpgsqlConnectionStringBuilder(limited);
        Assert.Equal(PostgresSiloBuilderExtensions.DefaultMaxPoolSize, parsed.MaxPoolSize);
        Assert.Equal("db", parsed.Host);
        Assert.Equal("orch", parsed.Database);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=40")]
    [InlineData("Host=db;max pool size=40")]
    [InlineData("Host=db;MaxPoolSize=40")]
    public void A_limit_the_connection_string_sets_is_kept(string connectionString) =>
        Assert.Equal(connectionString, PostgresSiloBuilderExtensions.WithDefaultPoolLimit(connectionString));
}
