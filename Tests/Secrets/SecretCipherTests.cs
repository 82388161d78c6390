using System.Security.Cryptography;
using System.Text;
using Orchestrator.Grains.Secrets;
using Xunit;

namespace Orchestrator.Tests.Secrets;

public sealed class SecretCipherTests
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes("correct horse battery staple");
    private readonly SecretCipher _cipher = new(RandomNumberGenerator.GetBytes(SecretCipher.KeyBytes));

    [Fact]
    public void A_sealed_value_opens_to_itself_and_holds_no_plaintext()
    {
        var sealedValue = _cipher.Seal("db-pass", Value);

        Assert.Equal(Value, _cipher.Open("db-pass", sealedValue));
        Assert.Equal(12, sealedValue.Nonce.Length);
        Assert.DoesNotContain("horse", Encoding.UTF8.GetString(sealedValue.Ciphertext), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_seal_takes_a_new_nonce()
    {
        var first = _cipher.Seal("db-pass", Value);
        var second = _cipher.Seal("db-pass", Value);

        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
    }

    [Fact]
    public void Another_key_does_not_open_it()
    {
        var sealedValue = _cipher.Seal("db-pass", Value);
        var other = new SecretCipher(RandomNumberGenerator.GetBytes(SecretCipher.KeyBytes));

        Assert.ThrowsAny<CryptographicException>(() => other.Open("db-pass", sealedValue));
    }

    [Fact]
    public void A_changed_bit_of_ciphertext_tag_or_nonce_does_not_open()
    {
        var sealedValue = _cipher.Seal("db-pass", Value);
        static byte[] Flip(byte[] bytes)
        {
            var copy = bytes.ToArray();
            copy[0] ^= 1;
            return copy;
        }

        Assert.ThrowsAny<CryptographicException>(() => _cipher.Open("db-pass", sealedValue with { Ciphertext = Flip(sealedValue.Ciphertext) }));
        Assert.ThrowsAny<CryptographicException>(() => _cipher.Open("db-pass", sealedValue with { Tag = Flip(sealedValue.Tag) }));
        Assert.ThrowsAny<CryptographicException>(() => _cipher.Open("db-pass", sealedValue with { Nonce = Flip(sealedValue.Nonce) }));
    }

    [Fact]
    public void The_name_is_bound_to_the_value_so_a_row_copied_under_another_name_does_not_open()
    {
        var sealedValue = _cipher.Seal("db-pass", Value);

        Assert.ThrowsAny<CryptographicException>(() => _cipher.Open("api-key", sealedValue));
    }

    [Fact]
    public void A_key_file_is_32_raw_bytes_or_their_base64_and_nothing_else()
    {
        var key = RandomNumberGenerator.GetBytes(SecretCipher.KeyBytes);
        var raw = Path.GetTempFileName();
        var base64 = Path.GetTempFileName();
        var shortKey = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(raw, key);
            File.WriteAllText(base64, Convert.ToBase64String(key) + "\n");
            File.WriteAllBytes(shortKey, key[..16]);
            var sealedValue = new SecretCipher(key).Seal("db-pass", Value);

            Assert.Equal(Value, SecretCipher.FromKeyFile(raw).Open("db-pass", sealedValue));
            Assert.Equal(Value, SecretCipher.FromKeyFile(base64).Open("db-pass", sealedValue));
            var error = Assert.Throws<InvalidDataException>(() => SecretCipher.FromKeyFile(shortKey));
            Assert.Contains("32 raw bytes", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(raw);
            File.Delete(base64);
            File.Delete(shortKey);
        }
    }
}
