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

    /// <summary>A positive integer parameter; absent is null.</summary>
    public static int? Number(string? value, string name) => Integer(value, name, 1, "must be a positive integer");

    /// <summary>A number of seconds, 0 or more; absent is null.</summary>
    public static int? Seconds(string? value, string name) => Integer(value, name, 0, "must be 0 or more seconds");

    private static int? Integer(string? value, string name, int minimum, string rule) => value switch
    {
        null or "" => null,
        _ when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= minimum => number,
        _ => throw new InvalidInputException(new SpecError(name, $"{rule} (got '{value}')")),
    };
}
