using System.Text.RegularExpressions;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Abstractions.Secrets;

/// <summary>The rules of a secret's name and value, and of a job's <c>secrets</c> list; each answer names the field and the rule.</summary>
public static partial class SecretRules
{
    /// <summary>The largest value stored: Docker Swarm's limit is 500 KiB; a credential or a certificate needs far less.</summary>
    public const int MaxValueBytes = 64 * 1024;

    /// <summary>How many secrets one job may mount.</summary>
    public const int MaxPerJob = 64;

    private const int MaxTargetLength = 255;

    /// <summary>What is wrong with <paramref name="name"/> as a secret's name (a lowercase DNS label, like a job's), or null.</summary>
    public static SpecError? NameError(string? name, string field = "name") =>
        string.IsNullOrEmpty(name) ? new SpecError(field, "is required")
        : JobSpecValidator.DnsLabel().IsMatch(name) ? null
        : new SpecError(field, "must be a lowercase DNS label: [a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /// <summary>What is wrong with a value of <paramref name="sizeBytes"/> bytes, or null.</summary>
    public static SpecError? ValueError(long sizeBytes) =>
        sizeBytes is < 1 or > MaxValueBytes
            ? new SpecError("value", $"must be 1 to {MaxValueBytes} bytes (got {sizeBytes})")
            : null;

    /// <summary>Every broken rule of a job's <c>secrets</c>: valid names, targets that are plain file names, no target twice.</summary>
    public static IReadOnlyList<SpecError> Validate(IReadOnlyList<SecretSpec> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.Count > MaxPerJob)
        {
            return [new SpecError("secrets", $"must have at most {MaxPerJob} entries")];
        }
        var errors = new List<SpecError>();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < secrets.Count; i++)
        {
            if (NameError(secrets[i].Name, $"secrets[{i}].name") is { } name)
            {
                errors.Add(name);
            }
            var target = secrets[i].FileName;
            if (target.Length > MaxTargetLength || target is "." or ".." || !FileName().IsMatch(target))
            {
                errors.Add(new SpecError($"secrets[{i}].target", $"must be a plain file name of letters, digits, '.', '_' and '-', not . or .. (got '{target}')"));
            }
            else if (!targets.Add(target))
            {
                errors.Add(new SpecError($"secrets[{i}].target", $"must not repeat another entry's file '{target}'"));
            }
        }
        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex FileName();
}
