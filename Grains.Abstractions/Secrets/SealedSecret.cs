namespace Orchestrator.Abstractions.Secrets;

/// <summary>
/// A secret's value encrypted with the cluster key (AES-GCM): the only form in which it is stored or leaves its grain.
/// The secret's name is the associated data, so a sealed value moved to another name does not open.
/// </summary>
[GenerateSerializer, Immutable, Alias("sealed-secret")]
public sealed record SealedSecret(
    [property: Id(0)] byte[] Nonce,
    [property: Id(1)] byte[] Ciphertext,
    [property: Id(2)] byte[] Tag);
