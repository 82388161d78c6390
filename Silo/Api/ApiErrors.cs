using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Nodes;
using Orchestrator.Abstractions.Secrets;
using Orchestrator.Abstractions.Storage;
using Orchestrator.Operations.Cluster;
using Orchestrator.Operations.Failures;

namespace Orchestrator.Silo.Api;

/// <summary>
/// What the API answers when a call fails: the status that fits and an <see cref="ApiError"/>. Messages are the ones
/// <c>orch</c> prints for the same failure; an exception nobody expected is logged and answered without its text.
/// </summary>
internal static class ApiErrors
{
    /// <summary>Seconds a client should wait before trying a call the cluster could not answer.</summary>
    private const string RetryAfterSeconds = "1";

    public static Task WriteAsync(HttpContext context, int status, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ApiError(message));
    }

    /// <summary>
    /// Gives an answer that routing made without a body (no such route, a method the route does not take, a body
    /// that is not JSON) the API's error shape.
    /// </summary>
    public static Task DescribeStatusAsync(StatusCodeContext status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var request = status.HttpContext.Request;
        var message = status.HttpContext.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => $"no route {request.Method} {request.Path} (the routes are in /{ApiEndpoints.Version}/openapi.json)",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not take {request.Method}",
            StatusCodes.Status415UnsupportedMediaType => "the body must be JSON, sent with Content-Type: application/json",
            var code => ReasonPhrases.GetReasonPhrase(code),
        };
        return status.HttpContext.Response.WriteAsJsonAsync(new ApiError(message));
    }

    public static IResult Invalid(SpecError error, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Results.Json(new ApiError(message ?? error.ToString(), error.Field, error.Rule), statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>The answer to <paramref name="exception"/>, or null for one that is not the API's to answer (the caller went away).</summary>
    public static IResult? Answer(Exception exception, HttpContext context, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(context);
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
        // Orleans wraps what a grain's storage or node said; the innermost of the cluster's own says it best.
        var cause = ClusterFailures.OwnCause(exception) ?? exception;
        switch (cause)
        {
            case JobSpecException spec:
                return spec.Errors.Count > 0
                    ? Invalid(spec.Errors[0], ClusterFailures.FirstLine(spec.Message))
                    : Error(StatusCodes.Status400BadRequest, spec.Message);
            case InvalidInputException invalid:
                return Invalid(invalid.Error);
            case InvalidSecretException { Error: { } secretError }:
                return Invalid(secretError);
            case SecretRefusedException:
                return Error(StatusCodes.Status409Conflict, cause.Message);
            case NotFoundException or KeyNotFoundException:
                return Error(StatusCodes.Status404NotFound, cause.Message);
            case ConflictException:
                return Error(StatusCodes.Status409Conflict, cause.Message);
            case ContainerEngineException:
                return Error(StatusCodes.Status502BadGateway, cause.Message);
            case StorageFailedException or EngineUnavailableException:
                return Unavailable(context, cause.Message);
        }
        if (ClusterFailures.Unavailable(exception) is { } reason)
        {
            return Unavailable(context, reason);
        }
        ApiLog.Unexpected(logger, exception, context.Request.Method, context.Request.Path);
        return Error(StatusCodes.Status500InternalServerError, "the silo failed to answer; its log says why");
    }

    private static IResult Unavailable(HttpContext context, string message)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        return Error(StatusCodes.Status503ServiceUnavailable, message);
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new ApiError(ClusterFailures.FirstLine(message)), statusCode: status);
}
