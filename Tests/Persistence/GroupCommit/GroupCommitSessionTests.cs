using Orchestrator.Silo.Persistence.GroupCommit;
using Xunit;

namespace Orchestrator.Tests.Persistence.GroupCommit;

public sealed class GroupCommitSessionTests
{
    [Theory]
    [InlineData(null, "-c enable_seqscan=off")]
    [InlineData("-c statement_timeout=5000", "-c statement_timeout=5000 -c enable_seqscan=off")]
    public void Storage_sessions_never_scan_the_table_and_keep_the_options_the_connection_string_gives(string? given, string expected) =>
        Assert.Equal(expected, GroupCommitQueue.WithoutTableScans(given));
}
