using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LlmOps.Core.Data.Dedup;

/// <summary>The key exact matches are remembered by: the first 128 bits of SHA-256 over the UTF-8 bytes. Wide enough
/// that a chance collision (which would drop a distinct text) is about n²/2^129, nil for any real corpus.</summary>
static class ContentHash
{
    public static UInt128 Of(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return new UInt128(BinaryPrimitives.ReadUInt64LittleEndian(digest), BinaryPrimitives.ReadUInt64LittleEndian(digest[8..]));
    }
}
