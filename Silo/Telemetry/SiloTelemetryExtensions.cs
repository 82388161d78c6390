using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orchestrator.Grains.Telemetry;
using Orchestrator.Silo.Auth;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// Metrics and traces of a silo, with OpenTelemetry: the orchestrator's meter, Orleans' and the .NET runtime's, served
/// at <c>/metrics</c> in the Prometheus text format; spans exported over OTLP only when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
internal static class SiloTelemetryExtensions
{
    /// <summary>Orleans' meter: grain calls, activations, messaging, membership, storage.</summary>
    private const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>The spans Orleans makes of grain calls once activity propagation is on.</summary>
    private static readonly string[] OrleansSources = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    public static IServiceCollection AddOrchestratorTelemetry(this IServiceCollection services, IConfiguration configuration, string nodeName)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("orch", serviceInstanceId: nodeName))
            .WithMetrics(metrics => metrics
                .AddMeter(OrchestratorMetrics.MeterName, OrleansMeter)
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The exporter reads the endpoint, protocol and headers from the OTEL_EXPORTER_OTLP_* variables itself.
            telemetry.WithTracing(tracing => tracing
                .AddSource(OrchestratorTracing.SourceName)
                .AddSource(OrleansSources)
                .AddOtlpExporter());
        }
        services.AddHostedService<ClusterGaugesRefresher>();
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c>, for the same readers as the other pages (a <c>read</c> token, or loopback without tokens).</summary>
    public static IEndpointRouteBuilder MapOrchestratorMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(ApiRoles.Read);
        return endpoints;
    }
}
