using System.Text;
using System.Text.Json;
using Docker.DotNet.Models;

namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>
/// Registry credentials from a Docker <c>config.json</c> (its <c>auths</c>: registry host → base64 <c>user:pass</c>),
/// the file <c>docker login</c> writes. The file is read at every pull, so credentials changed on the machine take
/// effect without a restart, and they are held only for the pull that sends them to the engine. Nothing here logs or
/// returns them in a message: an error names the file and what is wrong with it, never its content.
/// </summary>
public sealed class RegistryCredentials(string? path)
{
    /// <summary>Docker Hub's registry, whatever spelling a reference or a config file uses for it.</summary>
    private const string DockerHub = "docker.io";

    private static readonly string[] DockerHubAliases = [DockerHub, "index.docker.io", "registry-1.docker.io"];

    /// <summary>No credentials: every pull is anonymous.</summary>
    public static RegistryCredentials None { get; } = new(null);

    /// <summary>The file credentials are read from; null when there is none.</summary>
    public string? Path => path;

    /// <summary>
    /// The file Docker's own client uses, when it exists: <c>$DOCKER_CONFIG/config.json</c>, else
    /// <c>~/.docker/config.json</c>; null when neither does.
    /// </summary>
    public static string? DefaultPath(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var folder = environment("DOCKER_CONFIG") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        var file = System.IO.Path.Combine(folder, "config.json");
        return File.Exists(file) ? file : null;
    }

    /// <summary>The registry host of an image reference: its first path component when that names a host, else Docker Hub.</summary>
    public static string RegistryOf(string image)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return DockerHub;
        }
        var first = image[..slash];
        // Docker's own rule: a first component with a dot or a port, or "localhost", is a registry; otherwise a Hub namespace.
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? first.ToLowerInvariant()
            : DockerHub;
    }

    /// <summary>
    /// The credentials for the registry of <paramref name="image"/>, or null when the file has none for it (or there is
    /// no file). Throws <see cref="ContainerRuntimeException"/> (<see cref="ContainerRuntimeFailure.ImagePullFailed"/>)
    /// when the file cannot be read or is not a Docker config file.
    /// </summary>
    public AuthConfig? For(string image)
    {
        if (path is null)
        {
            return null;
        }
        var registry = RegistryOf(image);
        JsonDocument config;
        try
        {
            config = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unusable($"cannot be read ({e.GetType().Name})", e);
        }
        catch (JsonException e)
        {
            throw Unusable($"is not valid JSON (line {e.LineNumber + 1})", e);
        }
        using (config)
        {
            if (config.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Unusable("is not a JSON object", null);
            }
            if (!config.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var entry in auths.EnumerateObject())
            {
                if (Matches(HostOfKey(entry.Name), registry) && entry.Value.ValueKind == JsonValueKind.Object)
                {
                    return ToAuthConfig(entry.Value, registry);
                }
            }
            return null;
        }
    }

    private AuthConfig ToAuthConfig(JsonElement entry, string registry)
    {
        var auth = new AuthConfig { ServerAddress = registry };
        if (Text(entry, "auth") is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException e)
            {
                throw Unusable($"has an auth for {registry} that is not base64", e);
            }
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                throw Unusable($"has an auth for {registry} that is not user:password", null);
            }
            auth.Username = decoded[..colon];
            auth.Password = decoded[(colon + 1)..];
        }
        else
        {
            auth.Username = Text(entry, "username");
            auth.Password = Text(entry, "password");
        }
        auth.IdentityToken = Text(entry, "identitytoken");
        return auth;
    }

    private ContainerRuntimeException Unusable(string what, Exception? inner) =>
        new(ContainerRuntimeFailure.ImagePullFailed, $"the registry auth file {path} {what}", inner);

    private static string? Text(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Keys are written as hosts ("127.0.0.1:5000") or as URLs ("https://index.docker.io/v1/").
    private static string HostOfKey(string key)
    {
        var host = key;
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (host.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                host = host[scheme.Length..];
            }
        }
        var slash = host.IndexOf('/', StringComparison.Ordinal);
        return (slash < 0 ? host : host[..slash]).ToLowerInvariant();
    }

    private static bool Matches(string host, string registry) =>
        host == registry || (registry == DockerHub && DockerHubAliases.Contains(host));
}
