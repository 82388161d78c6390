using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Silo.Api;

/// <summary>Query parameters the API reads itself, so that a wrong one is answered as a field and a rule.</summary>
internal static class ApiQuery
{
    /// <summary>A true/false parameter; absent is false.</summary>
    public static bool Flag(string? value, string name) => value switch
    {
        null or "" => false,
        _ when bool.TryParse(value, out var flag) => flag,
        _ => throw new InvalidInputException(new SpecError(name, $"must be true or false (got '{value}')")),
    };
}
