namespace Orchestrator.Abstractions.Jobs;

/// <summary>A job spec was refused; nothing of it was stored. The message is the first error, one line.</summary>
[GenerateSerializer, Alias("job-spec-exception")]
public sealed class JobSpecException : Exception
{
    public JobSpecException(IReadOnlyList<SpecError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    public JobSpecException()
    {
    }

    public JobSpecException(string message) : base(message)
    {
    }

    public JobSpecException(string message, Exception innerException) : base(message, innerException)
    {
    }

    [Id(0)] public IReadOnlyList<SpecError> Errors { get; private set; } = [];

    private static string Describe(IReadOnlyList<SpecError> errors) => errors.Count switch
    {
        0 => "invalid job spec",
        1 => $"invalid job spec: {errors[0]}",
        _ => $"invalid job spec: {errors[0]} (and {errors.Count - 1} more: {string.Join("; ", errors.Skip(1))})",
    };
}
