using Xunit;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// One <see cref="ThrowawayDatabase"/> on the <see cref="SharedPostgres"/> server for a whole test class
/// (<c>IClassFixture&lt;DatabaseFixture&gt;</c>): created before its first test, dropped after its last. A test that
/// needs a database of its own creates one with <see cref="SharedPostgres.CreateDatabaseAsync"/>.
/// </summary>
public sealed class DatabaseFixture() : ThrowawayDatabase(SharedPostgres.ServerConnectionString, SharedPostgres.DefaultPrefix), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => CreateAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
