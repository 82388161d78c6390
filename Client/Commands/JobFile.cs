using System.Globalization;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Client.Commands;

/// <summary>
/// Reads, parses and checks a job file before anything is sent. A file that is missing, unreadable or
/// too large is bad input (exit 2), like an invalid spec.
/// </summary>
internal static class JobFile
{
    public static async Task<JobSpec> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                throw CommandFailedException.BadInput($"cannot read job file '{path}': no such file");
            }
            if (file.Length > SpecLimits.MaxSpecBytes)
            {
                throw CommandFailedException.BadInput(string.Create(
                    CultureInfo.InvariantCulture,
                    $"job file '{path}' is {file.Length} bytes; the limit is {SpecLimits.MaxSpecBytes}"));
            }
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CommandFailedException.BadInput($"cannot read job file '{path}': {e.Message}");
        }
        var spec = JobSpecParser.Parse(text);
        JobSpecValidator.EnsureValid(spec);
        return spec;
    }
}
