using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LlmOps.Core.Data;

/// <summary>
/// Content hashes of text, stable on any machine and in any order (unlike <see cref="string.GetHashCode()"/>):
/// the key exact dedup remembers texts by, and the position that splits and samples place a document at.
/// </summary>
public static class ContentHash
{
    /// <summary>The first 128 bits of SHA-256 over the UTF-8 bytes of <paramref name="text"/>. Wide enough that a chance
    /// collision (which would drop a distinct text) is about n²/2^129: nil for any real corpus.</summary>
    public static UInt128 Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return new UInt128(BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]));
    }

    /// <summary>A uniform value in [0, 1) from the normal form of <paramref name="text"/> (so exact duplicates share it);
    /// <paramref name="salt"/> draws an independent one.</summary>
    public static double Unit(string text, string salt = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        ulong top = (ulong)(Of(salt + "\u0000" + TextUnits.NormalizeForMatching(text)) >> 75); // 53 bits: exact in a double
        return top / (double)(1UL << 53);
    }
}
