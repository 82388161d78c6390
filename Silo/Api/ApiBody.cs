using System.Globalization;
using System.Text;
using Orchestrator.Abstractions.Jobs;

namespace Orchestrator.Silo.Api;

/// <summary>Request bodies the API reads itself, so that what is wrong with one is answered as a field and a rule.</summary>
internal static class ApiBody
{
    /// <summary>The body as text, refused past <paramref name="limit"/> bytes before more of it is read.</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, int limit) =>
        Encoding.UTF8.GetString(await ReadBytesAsync(request, limit).ConfigureAwait(false));

    /// <summary>The body's bytes, refused past <paramref name="limit"/> bytes before more of it is read.</summary>
    public static async Task<byte[]> ReadBytesAsync(HttpRequest request, int limit)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > limit)
            {
                throw new InvalidInputException(new SpecError("$", string.Create(CultureInfo.InvariantCulture, $"must be at most {limit} bytes")));
            }
            body.Write(buffer, 0, read);
        }
        return body.ToArray();
    }

    /// <summary>A job file, parsed and checked as <c>orch run</c> and <c>orch plan</c> check theirs before sending them.</summary>
    public static async Task<JobSpec> ReadJobAsync(HttpRequest request)
    {
        var spec = JobSpecParser.Parse(await ReadTextAsync(request, SpecLimits.MaxSpecBytes).ConfigureAwait(false));
        JobSpecValidator.EnsureValid(spec);
        return spec;
    }
}
