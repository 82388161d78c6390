using System.Security.Cryptography;
using System.Text;
using Orchestrator.Abstractions.Secrets;

namespace Orchestrator.Grains.Secrets;

/// <summary>
/// Seals secret values with the cluster key: AES-256-GCM, a random 12-byte nonce per value, and the secret's name as
/// associated data, so a sealed value copied under another name, or altered in any bit, does not open.
/// </summary>
public sealed class SecretCipher
{
    /// <summary>The key's length: 32 bytes, AES-256.</summary>
    public const int KeyBytes = 32;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    private readonly byte[] _key;

    public SecretCipher(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyBytes)
        {
            throw new ArgumentException($"a secrets key is {KeyBytes} bytes (got {key.Length})", nameof(key));
        }
        _key = key.ToArray();
    }

    /// <summary>Encrypts <paramref name="value"/>, the value of the secret named <paramref name="name"/>.</summary>
    public SealedSecret Seal(string name, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[value.Length];
        var tag = new byte[TagBytes];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, value, ciphertext, tag, Encoding.UTF8.GetBytes(name));
        return new SealedSecret(nonce, ciphertext, tag);
    }

    /// <summary>
    /// The value of the secret named <paramref name="name"/>. Throws <see cref="CryptographicException"/> when it does not
    /// open: another key, another name, or altered bytes.
    /// </summary>
    public byte[] Open(string name, SealedSecret sealedSecret)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(sealedSecret);
        if (sealedSecret.Nonce.Length != NonceBytes || sealedSecret.Tag.Length != TagBytes)
        {
            throw new CryptographicException("the sealed secret's nonce or tag has the wrong length");
        }
        var value = new byte[sealedSecret.Ciphertext.Length];
        using var aes = new AesGcm(_key, TagBytes);
        aes.Decrypt(sealedSecret.Nonce, sealedSecret.Ciphertext, sealedSecret.Tag, value, Encoding.UTF8.GetBytes(name));
        return value;
    }

    /// <summary>
    /// Reads a key file: 32 raw bytes, or their base64 text (<c>head -c 32 /dev/urandom &gt; key</c> or
    /// <c>head -c 32 /dev/urandom | base64 &gt; key</c>). Throws <see cref="InvalidDataException"/> naming what is wrong.
    /// </summary>
    public static SecretCipher FromKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == KeyBytes)
        {
            return new SecretCipher(bytes);
        }
        var text = Encoding.ASCII.GetString(bytes).Trim();
        var decoded = new byte[text.Length];
        if (Convert.TryFromBase64String(text, decoded, out var length) && length == KeyBytes)
        {
            return new SecretCipher(decoded.AsSpan(0, length));
        }
        throw new InvalidDataException($"{path} holds neither {KeyBytes} raw bytes nor their base64 ({bytes.Length} bytes)");
    }
}
