using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Storage;
using Orchestrator.Silo.Api;
using Xunit;

namespace Orchestrator.Tests.Api;

/// <summary>
/// The status an API caller gets for what went wrong inside the cluster: its own refusals as 4xx, an engine's as 502,
/// and everything that may pass if tried again (storage away, a silo gone, no answer in time) as 503 with Retry-After.
/// </summary>
public sealed class ApiErrorsTests
{
    private static readonly Dictionary<string, (Exception Error, int Status)> Cases = new()
    {
        ["an invalid spec"] = (new JobSpecException([new SpecError("replicas", "must be ≥ 0")]), 400),
        ["nothing of that name"] = (new KeyNotFoundException("no job 'x'"), 404),
        ["the engine refused"] = (new ContainerEngineException("no such image"), 502),
        ["storage away"] = (new StorageFailedException("the cluster's database could not be reached"), 503),
        ["storage away, wrapped by Orleans"] = (new AggregateException(new StorageFailedException("the cluster's database could not be reached")), 503),
        ["an engine not answering"] = (new EngineUnavailableException("the engine of node-1 is not answering"), 503),
        ["a silo gone"] = (new SiloUnavailableException("gone"), 503),
        ["no answer in time"] = (new TimeoutException("30 s"), 503),
        ["a bug"] = (new InvalidCastException("boom"), 500),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Each_failure_gets_the_status_that_says_whether_to_try_again(string name)
    {
        var (error, status) = Cases[name];
        var context = new DefaultHttpContext();

        var answer = ApiErrors.Answer(error, context, NullLogger.Instance);

        Assert.Equal(status, Assert.IsAssignableFrom<IStatusCodeHttpResult>(answer).StatusCode);
        Assert.Equal(status == 503 ? "1" : null, context.Response.Headers.RetryAfter.FirstOrDefault());
        Assert.DoesNotContain("boom", Assert.IsAssignableFrom<IValueHttpResult>(answer).Value?.ToString() ?? "", StringComparison.Ordinal);
    }
}
