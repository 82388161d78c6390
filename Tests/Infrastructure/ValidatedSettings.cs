using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>Options bound from configuration keys as a user writes them, then put to their validator.</summary>
internal static class ValidatedSettings
{
    /// <summary>The line <paramref name="validator"/> refuses <paramref name="settings"/> with; null when it accepts them.</summary>
    public static string? Refusal<T>(IValidateOptions<T> validator, string section, Dictionary<string, string?> settings)
        where T : class, new()
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(section).Get<T>() ?? new T();
        var result = validator.Validate(Options.DefaultName, options);
        return result.Failed ? result.FailureMessage : null;
    }
}
