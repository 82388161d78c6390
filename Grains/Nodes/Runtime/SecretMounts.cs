namespace Orchestrator.Grains.Nodes.Runtime;

/// <summary>
/// The secret files of a machine's containers, kept under a folder on a tmpfs (<c>Orchestrator:SecretsMountRoot</c>), one
/// folder per container bind-mounted read-only at <see cref="ContainerPath"/>: Docker Swarm's own way. Docker cannot
/// put a file into a container's tmpfs mount before the container starts (its archive API writes beneath the mount),
/// so the tmpfs is the machine's. Nothing is written to a folder that is not on a tmpfs: a value never touches a disk.
/// </summary>
public sealed class SecretMounts(string root)
{
    /// <summary>Where a container finds its secrets.</summary>
    public const string ContainerPath = "/run/secrets";

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    // Swarm's modes: any user of the container may read its secrets, none may change them.
    private const UnixFileMode ReadOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead
        | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode ReadOnlyFile = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private static readonly string[] MemoryFileSystems = ["tmpfs", "ramfs"];

    /// <summary>
    /// Writes the files of container <paramref name="container"/> of <paramref name="node"/>, replacing any earlier ones,
    /// and returns the bind that mounts them. Throws <see cref="ContainerRuntimeException"/> when the root is not on a tmpfs
    /// or cannot be written.
    /// </summary>
    public string Write(string node, string container, IReadOnlyList<SecretFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (OperatingSystem.IsWindows() || !IsInMemory(root))
        {
            throw new ContainerRuntimeException(ContainerRuntimeFailure.Engine,
                $"cannot mount secrets: {root} (Orchestrator:SecretsMountRoot) is not on a tmpfs, and a secret is never written to disk");
        }
        var folder = FolderOf(node, container);
        try
        {
            Delete(folder);
            Directory.CreateDirectory(root, Private);
            Directory.CreateDirectory(Path.GetDirectoryName(folder)!, Private);
            Directory.CreateDirectory(folder, Private);
            foreach (var file in files)
            {
                using var stream = new FileStream(Path.Combine(folder, file.FileName), new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    UnixCreateMode = ReadOnlyFile,
                });
                stream.Write(file.Value.Span);
            }
            File.SetUnixFileMode(folder, ReadOnlyFolder);
            return $"{folder}:{ContainerPath}:ro";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Delete(folder);
            throw new ContainerRuntimeException(ContainerRuntimeFailure.Engine, $"cannot write the secrets of {container} under {root}: {e.Message}", e);
        }
    }

    /// <summary>Deletes the files of every container of <paramref name="node"/> that <paramref name="keep"/> refuses.</summary>
    public void Drop(string node, Func<string, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var folder = Path.Combine(root, node);
        if (!Directory.Exists(folder))
        {
            return;
        }
        foreach (var container in Directory.EnumerateDirectories(folder).Where(c => !keep(Path.GetFileName(c))).ToList())
        {
            Delete(container);
        }
    }

    /// <summary>The container's folder of secrets.</summary>
    public string FolderOf(string node, string container) => Path.Combine(root, node, container);

    private static void Delete(string folder)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder))
        {
            return;
        }
        // Writable again, so a silo that does not run as root may delete what it wrote.
        File.SetUnixFileMode(folder, Private);
        Directory.Delete(folder, recursive: true);
    }

    private static bool IsInMemory(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        var mount = DriveInfo.GetDrives()
            .Where(d => d.Name == "/" || full == d.Name.TrimEnd('/') || full.StartsWith(d.Name.TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(d => d.Name.Length);
        return mount is not null && MemoryFileSystems.Contains(mount.DriveFormat, StringComparer.Ordinal);
    }
}
