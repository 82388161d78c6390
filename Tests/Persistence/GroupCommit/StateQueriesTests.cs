using Orchestrator.Silo.Persistence.GroupCommit;
using Xunit;

namespace Orchestrator.Tests.Persistence.GroupCommit;

public sealed class StateQueriesTests
{
    [Fact]
    public void Named_parameters_are_numbered_in_the_order_the_statements_add_them()
    {
        var positional = StateQueries.Positional("""
            UPDATE orleans_storage SET payload_binary = @PayloadBinary
            WHERE service_id = @ServiceId AND version = @GrainStateVersion AND grain_id_hash = @GrainIdHash;
            """);

        Assert.Equal("UPDATE orleans_storage SET payload_binary = $9\nWHERE service_id = $1 AND version = $8 AND grain_id_hash = $3", positional);
    }

    [Fact]
    public void A_parameter_the_provider_does_not_set_is_refused_when_the_queries_are_loaded()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => StateQueries.Positional("SELECT 1 WHERE x = @Unknown"));

        Assert.Contains("@Unknown", refused.Message, StringComparison.Ordinal);
    }
}
