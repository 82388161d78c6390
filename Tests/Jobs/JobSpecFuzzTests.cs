using System.Text.Json.Nodes;
using CsCheck;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Tests.Infrastructure;
using Xunit;

namespace Orchestrator.Tests.Jobs;

/// <summary>
/// Random and mutated job specs: never a crash, always either a valid spec or a clear error naming a
/// field — in the client's parser and validator, and in the silo, which stores nothing it refuses.
/// </summary>
public sealed class JobSpecFuzzTests
{
    private const string ValidJob = """
        {
          "name": "web", "image": "orch-test/busybox:latest", "command": ["httpd", "-f"],
          "env": { "A": "1" }, "replicas": 2, "resources": { "cpu": 0.25, "memoryMb": 64 },
          "ports": [ { "container": 8080, "host": 0 } ],
          "restart": { "policy": "on-failure", "maxRestarts": 3, "backoffSeconds": 1 },
          "health": { "http": { "port": 8080, "path": "/" }, "intervalSeconds": 5, "timeoutSeconds": 2, "failureThreshold": 3 },
          "constraints": { "zone": "a" }, "scheduler": "spread"
        }
        """;

    private static readonly string[] Paths =
    [
        "name", "image", "command", "env", "replicas", "resources", "resources.cpu", "resources.memoryMb", "ports", "restart",
        "restart.policy", "restart.maxRestarts", "restart.backoffSeconds", "health", "health.http", "health.http.port",
        "health.intervalSeconds", "constraints", "scheduler", "privileged", "mounts", "network", "capAdd", "bogus",
    ];

    private static readonly JsonNode?[] Values =
    [
        null, JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(1e300), JsonValue.Create(0.001), JsonValue.Create(70000),
        JsonValue.Create(""), JsonValue.Create("UPPER"), JsonValue.Create("host"), JsonValue.Create(true),
        new JsonArray(), new JsonArray(JsonValue.Create("x"), null), new JsonObject(), new JsonObject { ["k"] = null },
        new JsonArray(new JsonObject { ["source"] = "/etc", ["target"] = "/x" }),
    ];

    private static readonly Gen<(string Path, int Value)[]> Mutations =
        Gen.Select(Gen.Int[0, Paths.Length - 1], Gen.Int[0, Values.Length - 1], (p, v) => (Paths[p], v)).Array[1, 4];

    private static string Mutate((string Path, int Value)[] mutations)
    {
        var root = JsonNode.Parse(ValidJob)!.AsObject();
        foreach (var (path, value) in mutations)
        {
            var parts = path.Split('.');
            var parent = root;
            foreach (var part in parts[..^1])
            {
                if (parent[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    parent[part] = child;
                }
                parent = child;
            }
            parent[parts[^1]] = Values[value]?.DeepClone();
        }
        return root.ToJsonString();
    }

    [Fact]
    public void Mutated_job_files_are_parsed_and_validated_or_refused_with_a_field_never_a_crash()
    {
        Mutations.Sample(mutations =>
        {
            var json = Mutate(mutations);
            try
            {
                var spec = JobSpecParser.Parse(json);
                foreach (var error in JobSpecValidator.Validate(spec, ExecutionPolicy.Default, new Orchestrator.Abstractions.Nodes.NodeCapacity(4, 8192)))
                {
                    Assert.False(string.IsNullOrWhiteSpace(error.Field));
                    Assert.False(string.IsNullOrWhiteSpace(error.Rule));
                }
            }
            catch (JobSpecException e)
            {
                Assert.NotEmpty(e.Errors);
                Assert.DoesNotContain('\n', e.Message);
            }
        }, iter: 3000);
    }

    [Fact]
    public void Random_text_never_crashes_the_parser()
    {
        Gen.String.Sample(text =>
        {
            try
            {
                JobSpecParser.Parse(text);
            }
            catch (JobSpecException e)
            {
                Assert.NotEmpty(e.Errors);
            }
        }, iter: 3000);
    }

    [Fact]
    public async Task The_silo_refuses_mutated_specs_it_is_sent_directly_and_stores_nothing_of_them()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var valid = JobSpecParser.Parse(ValidJob) with { Ports = [], Health = null, Constraints = new Dictionary<string, LabelConstraint>() };
        var broken = new Func<JobSpec, JobSpec>[]
        {
            s => s with { Name = null! },
            s => s with { Command = new[] { "sh", null! } },
            s => s with { Env = new Dictionary<string, string> { ["A"] = null! } },
            s => s with { Resources = null! },
            s => s with { Restart = new RestartSpec { Policy = null! } },
            s => s with { Ports = new PortSpec[] { null! } },
            s => s with { Mounts = new[] { new MountSpec { Source = null!, Target = "/x" } } },
            s => s with { Health = new HealthSpec { Exec = new string[] { null! } } },
            s => s with { Replicas = -5 },
            s => s with { Resources = new ResourceSpec { Cpu = double.NaN } },
            s => s with { Privileged = true },
        };

        await Gen.Int[0, broken.Length - 1].SampleAsync(async i =>
        {
            var spec = broken[i](valid);
            var name = spec.Name ?? "web";
            var error = await Assert.ThrowsAsync<JobSpecException>(() => cluster.Client.GetJob(name).SubmitAsync(spec));
            Assert.NotEmpty(error.Errors);
            Assert.Null(await cluster.Client.GetJob(name).GetAsync());
        }, iter: 40, threads: 1);
        Assert.Empty(await cluster.Client.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync());
    }
}
