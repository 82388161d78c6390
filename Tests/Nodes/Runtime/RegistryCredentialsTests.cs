using System.Text;
using Orchestrator.Grains.Nodes.Runtime;
using Xunit;

namespace Orchestrator.Tests.Nodes.Runtime;

/// <summary>Which credentials a pull gets from a Docker config.json, and that a broken file is refused without quoting it.</summary>
public sealed class RegistryCredentialsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orch-auth-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("busybox", "docker.io")]
    [InlineData("library/busybox:1.36", "docker.io")]
    [InlineData("team/app:1", "docker.io")]
    [InlineData("127.0.0.1:5000/team/app:1", "127.0.0.1:5000")]
    [InlineData("localhost/app", "localhost")]
    [InlineData("Registry.Example.com/app@sha256:abc", "registry.example.com")]
    public void The_registry_of_a_reference_is_its_first_component_when_that_names_a_host(string image, string registry) =>
        Assert.Equal(registry, RegistryCredentials.RegistryOf(image));

    [Fact]
    public void A_pull_gets_the_entry_of_its_registry_decoded_from_base64_and_none_for_another_registry()
    {
        var credentials = new RegistryCredentials(Write($$"""
            {
              "auths": {
                "127.0.0.1:5000": { "auth": "{{Base64("alice:pa:ss")}}" },
                "https://index.docker.io/v1/": { "auth": "{{Base64("bob:hub")}}" },
                "registry.example.com": { "username": "carol", "password": "plain" }
              },
              "credsStore": "desktop"
            }
            """));

        var local = credentials.For("127.0.0.1:5000/team/app:1")!;
        Assert.Equal(("alice", "pa:ss", "127.0.0.1:5000"), (local.Username, local.Password, local.ServerAddress));
        var hub = credentials.For("busybox:latest")!;
        Assert.Equal(("bob", "hub"), (hub.Username, hub.Password));
        var plain = credentials.For("registry.example.com/app")!;
        Assert.Equal(("carol", "plain"), (plain.Username, plain.Password));
        Assert.Null(credentials.For("127.0.0.1:5001/team/app:1"));
        Assert.Null(RegistryCredentials.None.For("busybox"));
    }

    [Fact]
    public void A_broken_file_fails_the_pull_naming_the_file_and_never_quoting_it()
    {
        var path = Write("""{ "auths": { "127.0.0.1:5000": { "auth": "secret-not-base64!" } } }""");

        var failure = Assert.Throws<ContainerRuntimeException>(() => new RegistryCredentials(path).For("127.0.0.1:5000/app"));
        Assert.Equal(ContainerRuntimeFailure.ImagePullFailed, failure.Failure);
        Assert.Contains(path, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", failure.Message, StringComparison.Ordinal);

        var notJson = Write("{ secret");
        failure = Assert.Throws<ContainerRuntimeException>(() => new RegistryCredentials(notJson).For("127.0.0.1:5000/app"));
        Assert.Equal($"the registry auth file {notJson} is not valid JSON (line 1)", failure.Message);
    }

    [Fact]
    public void The_default_file_is_docker_configs_when_it_exists()
    {
        Assert.Null(RegistryCredentials.DefaultPath(name => name == "DOCKER_CONFIG" ? _folder : null));
        var path = Path.Combine(_folder, "config.json");
        File.WriteAllText(path, "{}");
        Assert.Equal(path, RegistryCredentials.DefaultPath(name => name == "DOCKER_CONFIG" ? _folder : null));
    }

    private string Write(string json)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
