using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orchestrator.Silo.Persistence.GroupCommit;

/// <summary>Registers grain storage that commits the state of many grains of a silo in one transaction.</summary>
public static class GroupCommitServiceCollectionExtensions
{
    /// <summary>
    /// Registers grain storage named <paramref name="name"/> in the PostgreSQL database of
    /// <paramref name="connectionString"/>, whose schema (Silo/Sql) must be applied before the first grain reads its
    /// state. Every storage registered on one connection string shares one queue, and so its batches. State is
    /// stored with the Orleans binary serializer, in the rows of Orleans' ADO.NET storage.
    /// </summary>
    public static IServiceCollection AddGroupCommitGrainStorage(this IServiceCollection services, string name, string connectionString) =>
        services.AddGroupCommitGrainStorage(name, connectionString, (_, storage) => storage);

    /// <summary>As the public overload, with <paramref name="wrap"/> around the storage.</summary>
    internal static IServiceCollection AddGroupCommitGrainStorage(
        this IServiceCollection services, string name, string connectionString, Func<IServiceProvider, IGrainStorage, IGrainStorage> wrap)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(wrap);

        services.TryAddKeyedSingleton(connectionString, (provider, key) =>
            new GroupCommitQueue((string)key!, provider.GetRequiredService<ILogger<GroupCommitQueue>>()));
        return services.AddGrainStorage(name, (provider, _) => wrap(provider, new GroupCommitGrainStorage(
            provider.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            provider.GetRequiredKeyedService<GroupCommitQueue>(connectionString),
            // Our state records are [GenerateSerializer] types meant for the Orleans serializer, not the silo's default (JSON).
            new OrleansGrainStorageSerializer(provider.GetRequiredService<Serializer>()),
            provider.GetRequiredService<IActivatorProvider>())));
    }
}
