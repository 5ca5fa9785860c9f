using System.Security.Cryptography;
using System.Text;

namespace LlmOps.Core.Data.Mixing;

/// <summary>
/// A document's position in [0, 1) from a hash of its normalised text: the same text lands in the same place on any
/// machine and in any order, so splits and samples are deterministic and exact duplicates never straddle a split.
/// </summary>
public static class ContentHash
{
    /// <summary>A uniform value in [0, 1) for <paramref name="text"/>; <paramref name="salt"/> draws an independent one.</summary>
    public static double Unit(string text, string salt = "")
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(salt + "\u0000" + TextUnits.NormalizeForMatching(text)));
        ulong top = BitConverter.ToUInt64(hash, 0) >> 11; // 53 bits: exactly representable in a double
        return top / (double)(1UL << 53);
    }
}
