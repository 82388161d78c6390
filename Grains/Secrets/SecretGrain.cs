using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Orchestrator.Abstractions;
using Orchestrator.Abstractions.Jobs;
using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Grains.Secrets;

/// <summary>
/// One secret. Its state holds the value sealed with the cluster key (<see cref="SecretCipher"/>); the value itself
/// exists only in the call that creates it and, opened again, on the node that starts a task using it. Secrets are
/// immutable, as in Docker Swarm: a new value is a new secret, or this one removed and created again.
/// </summary>
public sealed partial class SecretGrain(
    [PersistentState(StorageNames.SecretState, StorageNames.Orchestrator)] IPersistentState<SecretState> state,
    SecretVault vault,
    ILogger<SecretGrain> logger) : Grain, ISecretGrain
{
    private string Name => SecretKeys.Name(this.GetPrimaryKeyString());

    private ISecretDirectoryGrain Directory => GrainFactory.GetGrain<ISecretDirectoryGrain>(ISecretDirectoryGrain.Key);

    public async Task<SecretInfo> CreateAsync(byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        try
        {
            if ((SecretRules.NameError(Name) ?? SecretRules.ValueError(value.Length)) is { } error)
            {
                throw new InvalidSecretException(error);
            }
            var cipher = vault.Cipher;
            if (state.State.Value is { } stored)
            {
                // A retried create of the same value changes nothing; the directory is told again in case it missed it.
                if (!CryptographicOperations.FixedTimeEquals(cipher.Open(Name, stored), value))
                {
                    throw new SecretRefusedException($"secret {Name} exists already; a secret never changes: remove it and create it again");
                }
                await Directory.AddAsync(Describe(stored.Ciphertext.Length));
                return Describe(stored.Ciphertext.Length);
            }
            state.State = new SecretState { Value = cipher.Seal(Name, value), CreatedAt = DateTimeOffset.UtcNow };
            await state.WriteStateAsync();
            var info = Describe(value.Length);
            await Directory.AddAsync(info);
            LogCreated(Name, value.Length);
            return info;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(value);
        }
    }

    public Task<SecretInfo?> GetInfoAsync() =>
        Task.FromResult(state.State.Value is { } stored ? Describe(stored.Ciphertext.Length) : null);

    public async Task RemoveAsync()
    {
        if (state.State.Value is not null)
        {
            var users = await JobsUsingAsync();
            if (users.Count > 0)
            {
                throw new SecretRefusedException($"secret {Name} is in use by job {string.Join(", ", users)}: stop the job or take the secret out of its file first");
            }
            await state.ClearStateAsync();
            LogRemoved(Name);
        }
        // Also when there was nothing to remove: an earlier removal may have ended before the directory heard of it.
        await Directory.RemoveAsync(Name);
    }

    public Task<SealedSecret?> GetSealedAsync() => Task.FromResult(state.State.Value);

    private SecretInfo Describe(int size) => new(Name, size, state.State.CreatedAt);

    // A job uses the secret while it is wanted, or while a stop still has tasks to end.
    private async Task<IReadOnlyList<string>> JobsUsingAsync()
    {
        var names = await GrainFactory.GetGrain<IJobDirectoryGrain>(IJobDirectoryGrain.Key).ListAsync();
        var jobs = await Task.WhenAll(names.Select(n => GrainFactory.GetJob(n).GetAsync()));
        return [.. jobs.OfType<JobInfo>()
            .Where(j => (j.Status == JobStatus.Active || j.LiveTaskIds.Count > 0) && j.Spec.Secrets.Any(s => s.Name == Name))
            .Select(j => j.Name)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Secret {Secret} created ({Bytes} bytes)")]
    private partial void LogCreated(string secret, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Secret {Secret} removed")]
    private partial void LogRemoved(string secret);
}
