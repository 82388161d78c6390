using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Grains.Tasks;
using Xunit;

namespace Orchestrator.Tests.Tasks;

/// <summary>What a failed start means for the task, as a table: its own failure, its node's, or an answer lost.</summary>
public sealed class StartFailureRulesTests
{
    public static TheoryData<string, Exception, bool, StartFailure?> Cases => new()
    {
        // because, what RunAsync threw, whether the node is lost, what it means
        { "the engine refused the container", new ContainerEngineException("no such image"), false, StartFailure.Refused },
        { "the engine's refusal stays the task's own on a lost node", new ContainerEngineException("no such image"), true, StartFailure.Refused },
        { "the node refused the spec", new JobSpecException("privileged is not allowed"), false, StartFailure.Refused },
        { "the engine does not answer", new EngineUnavailableException("timed out"), false, StartFailure.NodeFailed },
        { "the node holds no claim for the start", new InvalidOperationException("no reservation"), false, StartFailure.NodeFailed },
        { "a timeout on a live node: the container may exist", new TimeoutException("response timed out"), false, StartFailure.AnswerLost },
        { "a timeout on a lost node: nothing runs any more", new TimeoutException("response timed out"), true, StartFailure.NodeFailed },
        { "any other failure on a live node", new IOException("connection reset"), false, StartFailure.AnswerLost },
        { "a cancellation is not the start's to answer", new OperationCanceledException(), false, null },
        { "nor on a lost node", new TaskCanceledException(), true, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides(string because, Exception failure, bool nodeLost, StartFailure? meaning)
    {
        Assert.True(StartFailureRules.Decide(failure, nodeLost) == meaning, $"{because}: got {StartFailureRules.Decide(failure, nodeLost)}");
    }
}
