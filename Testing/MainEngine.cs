namespace Orchestrator.Testing;

/// <summary>
/// The machine's own Docker engine, which tests and benchmarks run containers on and the engine rig copies the
/// test image from: <c>ORCH_TEST_DOCKER</c>, default the local socket.
/// </summary>
public static class MainEngine
{
    public const string EndpointVariable = "ORCH_TEST_DOCKER";
    public const string DefaultEndpoint = "unix:///var/run/docker.sock";

    /// <summary>The example image every test machine has; busybox with sh, sleep, httpd and /www/index.html.</summary>
    public const string TestImage = "orch-test/busybox:latest";

    /// <summary><c>ORCH_TEST_DOCKER</c> when set, else <see cref="DefaultEndpoint"/>.</summary>
    public static string Endpoint
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(EndpointVariable);
            return string.IsNullOrWhiteSpace(configured) ? DefaultEndpoint : configured;
        }
    }
}
