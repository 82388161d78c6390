using System.Text.Json;
using Xunit;

namespace Orchestrator.Tests.Integration;

/// <summary>
/// TLS as a user meets it: real silo processes (simulated machines, so no Docker engine) with
/// certificates from a CA made for the test, and the real <c>orch</c> with the right certificate, none,
/// or one from another CA.
/// </summary>
public sealed class TlsTests(TlsSiloFixture fixture) : IClassFixture<TlsSiloFixture>, IAsyncLifetime
{
    // Unset, so that TLS settings in the environment running the tests cannot leak into orch.
    private static readonly Dictionary<string, string> NoTls = new()
    {
        ["ORCH_TLS_CERT"] = "",
        ["ORCH_TLS_KEY"] = "",
        ["ORCH_TLS_CA"] = "",
        ["ORCH_TLS_PASSWORD"] = "",
    };

    private readonly string _clusterId = $"tls-{Guid.NewGuid():N}"[..16];
    private readonly List<SiloProcess> _silos = [];
    private ThrowawayDatabase? _database;

    private ThrowawayCertificateAuthority Ca => fixture.Ca;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_with_a_certificate_from_the_cluster_CA_lists_nodes_and_runs_a_job()
    {
        var silo = fixture.Silo;
        var client = Ca.IssueClient($"client-{Guid.NewGuid():N}");

        var nodes = await Orch(silo, ["nodes", "--json", "--tls-cert", client.Certificate, "--tls-key", client.Key, "--tls-ca", Ca.CertificatePath]);
        Assert.True(nodes.ExitCode == 0, $"orch nodes failed: {nodes}\nsilo log:\n{silo.Log}");
        Assert.Equal(["tls-a"], NodeNames(nodes));

        // The same client through the environment, as a script would set it up.
        var run = await Orch(silo, ["run", "-f", WriteJob("hello"), "--wait", "--timeout", "60", "--json"], TlsEnvironment(client, Ca.CertificatePath));
        Assert.True(run.ExitCode == 0, $"orch run failed: {run}\nsilo log:\n{silo.Log}");
        var tasks = JsonDocument.Parse(run.StdOut).RootElement.GetProperty("tasks");
        Assert.Equal("Running", Assert.Single(tasks.EnumerateArray()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_client_without_TLS_is_refused_with_one_line_that_mentions_TLS_and_exit_1()
    {
        var silo = fixture.Silo;

        var nodes = await Orch(silo, ["nodes"], NoTls);

        Assert.True(nodes.ExitCode == 1, nodes.ToString());
        Assert.Empty(nodes.StdOut);
        var line = Assert.Single(nodes.StdErr.Trim().Split('\n'));
        Assert.Contains("may require TLS", line, StringComparison.Ordinal);
        Assert.Contains("ORCH_TLS_CA", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_from_another_CA_is_refused_and_the_silo_logs_why()
    {
        var silo = fixture.Silo;
        var intruder = fixture.OtherCa.IssueClient("intruder");

        var nodes = await Orch(silo, ["nodes", "--tls-cert", intruder.Certificate, "--tls-key", intruder.Key, "--tls-ca", Ca.CertificatePath]);

        Assert.True(nodes.ExitCode == 1, nodes.ToString());
        var line = Assert.Single(nodes.StdErr.Trim().Split('\n'));
        Assert.True(line.Contains("refused this client's certificate", StringComparison.Ordinal), nodes.ToString());
        Assert.Contains("Refused a TLS connection with a client: certificate 'CN=intruder' is not signed by the cluster's CA", silo.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused_unless_the_silo_does_not_require_one()
    {
        var mutual = fixture.Silo;
        var lenient = await StartSiloAsync("tls-b", requireClientCertificate: false);
        string[] caOnly = ["nodes", "--json", "--tls-ca", Ca.CertificatePath];

        var refused = await Orch(mutual, caOnly);
        var admitted = await Orch(lenient, caOnly);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.True(admitted.ExitCode == 0, $"{admitted}\nsilo log:\n{lenient.Log}");
        Assert.Equal(["tls-b"], NodeNames(admitted));
    }

    [Fact]
    public async Task With_certificates_listed_the_gateway_admits_only_the_admin_ones_and_logs_why_it_refused_the_others()
    {
        var silo = await StartSiloAsync("tls-e", roles: new() { ["alice"] = "admin", ["bob"] = "read" });
        var alice = Ca.IssueClient("alice");
        var bob = Ca.IssueClient("bob");
        var carol = Ca.IssueClient("carol");

        var admin = await Orch(silo, ["nodes", "--json"], TlsEnvironment(alice, Ca.CertificatePath));
        var reader = await Orch(silo, ["nodes", "--json"], TlsEnvironment(bob, Ca.CertificatePath));
        var unlisted = await Orch(silo, ["nodes", "--json"], TlsEnvironment(carol, Ca.CertificatePath));

        Assert.True(admin.ExitCode == 0, $"{admin}\nsilo log:\n{silo.Log}");
        Assert.Equal(["tls-e"], NodeNames(admin));
        foreach (var refused in new[] { reader, unlisted })
        {
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains("refused this client's certificate", Assert.Single(refused.StdErr.Trim().Split('\n')), StringComparison.Ordinal);
        }
        Assert.Contains("Refused a TLS connection with a client: certificate 'CN=bob' has role read, and the gateway admits only admin certificates", silo.Log, StringComparison.Ordinal);
        Assert.Contains("Refused a TLS connection with a client: certificate 'CN=carol' is not listed in Auth:Certificates", silo.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_roles_on_a_silo_that_lets_clients_in_without_a_certificate_stop_it_with_one_line()
    {
        var settings = fixture.Settings("tls-y", _clusterId, requireClientCertificate: false);
        settings["Auth:Certificates:alice:Role"] = "admin";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(settings));

        var log = error.Message[(error.Message.IndexOf("log:\n", StringComparison.Ordinal) + 5)..].Trim();
        Assert.Equal(
            "orch silo: Auth:Certificates needs Orchestrator:Tls:RequireClientCertificate true (a client without a certificate would have no role)",
            Assert.Single(log.Split('\n')));
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_silos_CA_refuses_the_gateway_quickly()
    {
        var silo = fixture.Silo;
        var client = Ca.IssueClient($"client-{Guid.NewGuid():N}");

        var started = DateTimeOffset.UtcNow;
        var nodes = await Orch(silo, ["nodes", "--tls-cert", client.Certificate, "--tls-key", client.Key, "--tls-ca", fixture.OtherCa.CertificatePath]);

        Assert.True(nodes.ExitCode == 1, nodes.ToString());
        Assert.Contains("the gateway's TLS certificate 'CN=silo-tls-a' is not signed by the cluster's CA", nodes.StdErr, StringComparison.Ordinal);
        // No retrying until the connect budget runs out: another attempt cannot mend a CA mismatch.
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(9), $"took {DateTimeOffset.UtcNow - started}");
    }

    [Fact]
    public async Task A_silo_whose_certificate_file_is_missing_stops_with_one_line_naming_the_key()
    {
        var settings = fixture.Settings("tls-x", _clusterId, requireClientCertificate: true);
        settings["Orchestrator:Tls:CertificatePath"] = Path.Combine(fixture.WorkDir, "missing.crt");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloProcess.StartAsync(settings));

        Assert.Contains("exited: True", error.Message, StringComparison.Ordinal);
        var log = error.Message[(error.Message.IndexOf("log:\n", StringComparison.Ordinal) + 5)..].Trim();
        Assert.StartsWith("orch silo: Orchestrator:Tls:CertificatePath: cannot read", Assert.Single(log.Split('\n')), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_silo_with_a_certificate_from_the_cluster_CA_joins_over_TLS()
    {
        _database = await SharedPostgres.CreateDatabaseAsync();
        var first = await StartSiloAsync("tls-c", _database.ConnectionString);
        var second = await StartSiloAsync("tls-d", _database.ConnectionString);
        var client = Ca.IssueClient($"client-{Guid.NewGuid():N}");

        // Asked through the first silo only: the second node's registration crossed the silo-to-silo link.
        var names = await WaitForNodesAsync(first, client, count: 2);

        Assert.Equal(["tls-c", "tls-d"], names);
        Assert.DoesNotContain("Refused a TLS connection", first.Log + second.Log, StringComparison.Ordinal);
    }

    private async Task<List<string>> WaitForNodesAsync(SiloProcess silo, CertificateFiles client, int count)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var nodes = await Orch(silo, ["nodes", "--json"], TlsEnvironment(client, Ca.CertificatePath));
            var ready = nodes.ExitCode == 0
                ? JsonDocument.Parse(nodes.StdOut).RootElement.EnumerateArray()
                    .Where(n => n.GetProperty("status").GetString() == "Ready")
                    .Select(n => n.GetProperty("name").GetString()!).Order().ToList()
                : [];
            if (ready.Count >= count)
            {
                return ready;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{count} Ready nodes not seen; last: {nodes}\n--- silo logs:\n{string.Join("\n---\n", _silos.Select(s => s.Log))}");
            }
            await Task.Delay(1000);
        }
    }

    private async Task<SiloProcess> StartSiloAsync(string node, string? connectionString = null, bool requireClientCertificate = true, Dictionary<string, string>? roles = null)
    {
        var settings = fixture.Settings(node, _clusterId, requireClientCertificate);
        foreach (var (subject, role) in roles ?? [])
        {
            settings[$"Auth:Certificates:{subject}:Role"] = role;
        }
        if (connectionString is not null)
        {
            settings["ConnectionStrings:Orleans"] = connectionString;
        }
        var silo = await SiloProcess.StartAsync(settings);
        _silos.Add(silo);
        return silo;
    }

    private static Dictionary<string, string> TlsEnvironment(CertificateFiles client, string caPath) => new(NoTls)
    {
        ["ORCH_TLS_CERT"] = client.Certificate,
        ["ORCH_TLS_KEY"] = client.Key,
        ["ORCH_TLS_CA"] = caPath,
    };

    private static Task<ProcessResult> Orch(SiloProcess silo, string[] args, IReadOnlyDictionary<string, string>? environment = null) =>
        OrchProcess.RunAsync(args, silo.GatewayPort, silo.Settings["Orleans:ClusterId"], environment: environment ?? NoTls);

    private static List<string> NodeNames(ProcessResult nodes) =>
        [.. JsonDocument.Parse(nodes.StdOut).RootElement.EnumerateArray().Select(n => n.GetProperty("name").GetString()!).Order()];

    private string WriteJob(string name)
    {
        var path = Path.Combine(fixture.WorkDir, $"{name}.json");
        File.WriteAllText(path, $$"""
            {
              "name": "{{name}}",
              "image": "orch-test/busybox:latest",
              "command": ["sleep", "3600"],
              "resources": { "cpu": 0.1, "memoryMb": 32 }
            }
            """);
        return path;
    }
}
