using System.Text;
using Orchestrator.Grains.Nodes.Runtime;
using Xunit;

namespace Orchestrator.Tests.Nodes.Runtime;

public sealed class SecretMountsTests : IDisposable
{
    private static readonly SecretFile Password = new("password", Encoding.UTF8.GetBytes("hunter2"));

    // /dev/shm is a tmpfs on Linux, as the node requires of its folder.
    private readonly string _root = $"/dev/shm/orch-test-mounts-{Guid.NewGuid():N}";

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_containers_secrets_are_read_only_files_in_its_own_folder_bound_read_only_at_run_secrets()
    {
        var mounts = new SecretMounts(_root);

        var bind = mounts.Write("node-a", "orch-c-web-0-abc", [Password, new SecretFile("tls.key", Encoding.UTF8.GetBytes("key"))]);

        var folder = mounts.FolderOf("node-a", "orch-c-web-0-abc");
        Assert.Equal($"{folder}:/run/secrets:ro", bind);
        Assert.Equal("hunter2", File.ReadAllText(Path.Combine(folder, "password")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Path.Combine(folder, "password")));
        Assert.Equal(2, Directory.GetFiles(folder).Length);
    }

    [Fact]
    public void Dropping_deletes_the_folders_of_the_nodes_containers_not_kept_and_nothing_else()
    {
        var mounts = new SecretMounts(_root);
        mounts.Write("node-a", "running", [Password]);
        mounts.Write("node-a", "stopped", [Password]);
        mounts.Write("node-b", "stopped", [Password]);

        mounts.Drop("node-a", name => name == "running");

        Assert.True(Directory.Exists(mounts.FolderOf("node-a", "running")));
        Assert.False(Directory.Exists(mounts.FolderOf("node-a", "stopped")));
        Assert.True(Directory.Exists(mounts.FolderOf("node-b", "stopped")));
    }

    [Fact]
    public void A_second_write_for_a_container_replaces_its_files()
    {
        var mounts = new SecretMounts(_root);
        mounts.Write("node-a", "c", [Password, new SecretFile("old", new byte[] { 1 })]);

        mounts.Write("node-a", "c", [Password]);

        Assert.Equal(["password"], Directory.GetFiles(mounts.FolderOf("node-a", "c")).Select(Path.GetFileName));
    }

    [Fact]
    public void A_folder_on_a_disk_is_refused_and_nothing_is_written()
    {
        var onDisk = Path.Combine(AppContext.BaseDirectory, $"secrets-{Guid.NewGuid():N}");

        var error = Assert.Throws<ContainerRuntimeException>(() => new SecretMounts(onDisk).Write("node-a", "c", [Password]));

        Assert.Contains("not on a tmpfs", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(onDisk));
    }
}
