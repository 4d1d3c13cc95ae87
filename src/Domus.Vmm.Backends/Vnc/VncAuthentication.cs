using System.Security.Cryptography;
using System.Text;

namespace Domus.Vmm.Backends.Vnc;

#pragma warning disable CA5351 // RFB's VNC authentication is DES by definition: the protocol's, not a choice of cipher.

/// <summary>
/// VNC authentication (RFC 6143 §7.2.2): the client DES-encrypts a random 16-byte challenge with the password as
/// key, its first 8 characters, each byte's bits in reverse order (the quirk every VNC implementation shares).
/// </summary>
internal sealed class VncAuthentication
{
    public const int ChallengeSize = 16;
    private readonly byte[] _key = new byte[8];

    /// <summary>A password whose key DES refuses as weak (no printable ASCII password is one) is an <see cref="ArgumentException"/>.</summary>
    public VncAuthentication(string password)
    {
        var bytes = Encoding.Latin1.GetBytes(password);
        for (var i = 0; i < Math.Min(8, bytes.Length); i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                _key[i] |= (byte)(((bytes[i] >> bit) & 1) << (7 - bit));
            }
        }

        if (DES.IsWeakKey(_key) || DES.IsSemiWeakKey(_key))
        {
            throw new ArgumentException("this VNC password makes a weak DES key", nameof(password));
        }
    }

    public static byte[] NewChallenge() => RandomNumberGenerator.GetBytes(ChallengeSize);

    public bool Verify(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> response)
    {
        using var des = DES.Create();
        des.Key = _key;
        var expected = des.EncryptEcb(challenge, PaddingMode.None);
        return CryptographicOperations.FixedTimeEquals(expected, response);
    }
}
#pragma warning restore CA5351
