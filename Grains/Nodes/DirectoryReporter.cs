using Orchestrator.Abstractions.Nodes;

namespace Orchestrator.Grains.Nodes;

/// <summary>
/// Sends the node directory what a node says of itself (<c>describe</c>): at once, or after a change one report at a
/// time, so a burst of reservations costs one report carrying the last of them, not one each. The sweep reports
/// anyway, so one lost costs nothing.
/// </summary>
public sealed class DirectoryReporter(IGrainFactory grains, Func<NodeInfo> describe)
{
    private bool _reporting;
    private bool _reportAgain;

    public Task ReportAsync() => grains.GetGrain<INodeDirectoryGrain>(INodeDirectoryGrain.Key).ReportAsync(describe());

    /// <summary>Reports after a change: unless a report is on its way, which is then followed by one more.</summary>
    public void ReportSoon()
    {
        if (_reporting)
        {
            _reportAgain = true;
            return;
        }
        _reporting = true;
        ReportUntilCurrentAsync().Ignore();
    }

    private async Task ReportUntilCurrentAsync()
    {
        try
        {
            do
            {
                _reportAgain = false;
                await ReportAsync();
            }
            while (_reportAgain);
        }
        finally
        {
            _reporting = false;
        }
    }
}
