// This one file is compiled twice: into LlmOps.Core (the runtime route, which patches a private copy)
// and by MSBuild's RoslynCodeTaskFactory (build/TorchSharpPatch.targets, the build-time route, which
// patches build and publish output). So it sticks to APIs that netstandard2.0 has and declares no records.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace LlmOps.Core.Platform;

/// <summary>
/// The fix that makes TorchSharp 0.107.0's <c>libLibTorchSharp.so</c> load on glibc 2.36 / GCC 12 systems
/// (Debian 12, Ubuntu 22.04). The library declares a need for <c>GLIBCXX_3.4.32</c> (GCC 13's libstdc++)
/// only because GCC 13 headers reference <c>std::ios_base_library_init()</c>, which nothing calls. Marking
/// that one version need weak (<c>VER_FLG_WEAK</c> in <c>.gnu.version_r</c>) turns the loader's hard error
/// into a warning. Where the system's libstdc++ already provides the version nothing is changed.
/// </summary>
internal static class LibTorchSharpPatch
{
    public const string NeededLibrary = "libstdc++.so.6";
    public const string MissingVersion = "GLIBCXX_3.4.32";

    const ushort VerFlagWeak = 0x2;
    const uint SectionTypeGnuVersionNeeds = 0x6ffffffe;

    /// <summary>One entry of an ELF file's version-needs table: <see cref="Library"/> must define <see cref="Version"/>.</summary>
    public sealed class VersionNeed
    {
        public VersionNeed(string library, string version, ushort flags, int flagsOffset)
        {
            Library = library;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        public string Library { get; }
        public string Version { get; }
        public ushort Flags { get; }
        /// <summary>Byte offset of the entry's 16-bit <c>vna_flags</c> field in the file.</summary>
        public int FlagsOffset { get; }
        public bool IsWeak => (Flags & VerFlagWeak) != 0;
    }

    /// <summary>Reads the version-needs table of a 64-bit little-endian ELF image.</summary>
    /// <exception cref="InvalidDataException">The image is not such an ELF file; the message names <paramref name="pathForErrors"/>.</exception>
    public static IReadOnlyList<VersionNeed> ReadVersionNeeds(byte[] image, string pathForErrors)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException($"{pathForErrors}: not an ELF file (the first bytes are not 0x7f 'ELF').");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException($"{pathForErrors}: only 64-bit little-endian ELF files are supported (class {image[4]}, data {image[5]}).");

        long sectionTable = ReadInt64(image, 0x28, pathForErrors);
        int sectionSize = ReadUInt16(image, 0x3A, pathForErrors);
        int sectionCount = ReadUInt16(image, 0x3C, pathForErrors);

        var needs = new List<VersionNeed>();
        for (int i = 0; i < sectionCount; i++)
        {
            int header = Checked(sectionTable + (long)i * sectionSize, 64, image, pathForErrors);
            if (ReadUInt32(image, header + 4, pathForErrors) != SectionTypeGnuVersionNeeds)
                continue;

            int tableStart = Checked(ReadInt64(image, header + 24, pathForErrors), 16, image, pathForErrors);
            int stringSection = (int)ReadUInt32(image, header + 40, pathForErrors);
            int entryCount = (int)ReadUInt32(image, header + 44, pathForErrors);
            int stringsHeader = Checked(sectionTable + (long)stringSection * sectionSize, 64, image, pathForErrors);
            int strings = Checked(ReadInt64(image, stringsHeader + 24, pathForErrors), 1, image, pathForErrors);

            int need = tableStart;
            for (int n = 0; n < entryCount; n++)
            {
                int auxCount = ReadUInt16(image, need + 2, pathForErrors);
                string library = ReadString(image, strings + (int)ReadUInt32(image, need + 4, pathForErrors), pathForErrors);
                int aux = need + (int)ReadUInt32(image, need + 8, pathForErrors);
                for (int a = 0; a < auxCount; a++)
                {
                    Checked(aux, 16, image, pathForErrors);
                    ushort flags = ReadUInt16(image, aux + 4, pathForErrors);
                    string version = ReadString(image, strings + (int)ReadUInt32(image, aux + 8, pathForErrors), pathForErrors);
                    needs.Add(new VersionNeed(library, version, flags, aux + 4));
                    aux += (int)ReadUInt32(image, aux + 12, pathForErrors);
                }
                uint next = ReadUInt32(image, need + 12, pathForErrors);
                if (next == 0)
                    break;
                need += (int)next;
            }
        }
        return needs;
    }

    /// <summary>Reads the version-needs table of the ELF file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<VersionNeed> ReadVersionNeeds(string path) => ReadVersionNeeds(File.ReadAllBytes(path), path);

    /// <summary>
    /// Sets the weak flag on every need for <see cref="MissingVersion"/> of <see cref="NeededLibrary"/>.
    /// Returns how many entries changed (0 when already weak or absent); touches no other byte.
    /// </summary>
    public static int MarkMissingVersionWeak(byte[] image, string pathForErrors)
    {
        int changed = 0;
        foreach (var need in ReadVersionNeeds(image, pathForErrors))
        {
            if (need.Library != NeededLibrary || need.Version != MissingVersion || need.IsWeak)
                continue;
            ushort flags = (ushort)(need.Flags | VerFlagWeak);
            image[need.FlagsOffset] = (byte)(flags & 0xff);
            image[need.FlagsOffset + 1] = (byte)(flags >> 8);
            changed++;
        }
        return changed;
    }

    /// <summary>True when the file still has a strong (non-weak) need for the missing libstdc++ version.</summary>
    public static bool HasStrongNeed(string path)
    {
        foreach (var need in ReadVersionNeeds(path))
            if (need.Library == NeededLibrary && need.Version == MissingVersion && !need.IsWeak)
                return true;
        return false;
    }

    /// <summary>
    /// Writes the patched image of <paramref name="source"/> to <paramref name="destination"/> (which may be the
    /// same file) through a temporary file and a rename, so a reader never sees a half-written library.
    /// Returns the number of version needs that changed.
    /// </summary>
    public static int PatchFile(string source, string destination)
    {
        byte[] image = File.ReadAllBytes(source);
        int changed = MarkMissingVersionWeak(image, source);
        if (changed == 0 && string.Equals(Path.GetFullPath(source), Path.GetFullPath(destination), StringComparison.Ordinal))
            return 0;

        string directory = Path.GetDirectoryName(Path.GetFullPath(destination)) ?? ".";
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, "." + Path.GetFileName(destination) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllBytes(temporary, image);
            if (File.Exists(destination))
                File.Replace(temporary, destination, null);
            else
                File.Move(temporary, destination);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
        return changed;
    }

    /// <summary>
    /// The libstdc++ this process would bind to: the one already mapped into it (the .NET host links
    /// libstdc++), else the first of the usual system locations. Null when none is found (not Linux).
    /// </summary>
    public static string? FindSystemLibStdCxx()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            return null;
        try
        {
            foreach (string line in File.ReadAllLines("/proc/self/maps"))
            {
                int slash = line.IndexOf('/');
                if (slash >= 0 && line.Contains("/libstdc++.so"))
                    return line.Substring(slash).Trim();
            }
        }
        catch (IOException)
        {
            // /proc may be absent in odd sandboxes; fall back to the usual paths.
        }
        catch (UnauthorizedAccessException)
        {
        }
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        };
        foreach (string candidate in candidates)
            if (File.Exists(candidate))
                return candidate;
        return null;
    }

    /// <summary>True when <paramref name="libStdCxx"/> defines <see cref="MissingVersion"/> (GCC 13 or later).</summary>
    public static bool Provides(string libStdCxx)
    {
        byte[] image = File.ReadAllBytes(libStdCxx);
        byte[] needle = Encoding.ASCII.GetBytes(MissingVersion + "\0");
        for (int i = 0; i + needle.Length <= image.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && image[i + j] == needle[j])
                j++;
            if (j == needle.Length)
                return true;
        }
        return false;
    }

    /// <summary>
    /// Whether this machine needs the fix at all: Linux, a libstdc++ that lacks <see cref="MissingVersion"/>.
    /// On Windows, macOS and GCC 13+ Linux (Ubuntu 24.04 and later) this is false and nothing is touched.
    /// </summary>
    public static bool SystemNeedsPatch(out string reason)
    {
        string? libStdCxx = FindSystemLibStdCxx();
        if (libStdCxx == null)
        {
            reason = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "no libstdc++.so.6 found" : "not Linux";
            return false;
        }
        if (Provides(libStdCxx))
        {
            reason = $"{libStdCxx} provides {MissingVersion}";
            return false;
        }
        reason = $"{libStdCxx} lacks {MissingVersion}";
        return true;
    }

    static int Checked(long offset, int length, byte[] image, string path)
    {
        if (offset < 0 || offset + length > image.Length)
            throw new InvalidDataException($"{path}: truncated or corrupt ELF file (offset {offset} + {length} is past its {image.Length} bytes).");
        return (int)offset;
    }

    static ushort ReadUInt16(byte[] image, int offset, string path) => BitConverter.ToUInt16(image, Checked(offset, 2, image, path));
    static uint ReadUInt32(byte[] image, int offset, string path) => BitConverter.ToUInt32(image, Checked(offset, 4, image, path));
    static long ReadInt64(byte[] image, int offset, string path) => BitConverter.ToInt64(image, Checked(offset, 8, image, path));

    static string ReadString(byte[] image, int offset, string path)
    {
        int end = Checked(offset, 1, image, path);
        while (end < image.Length && image[end] != 0)
            end++;
        return Encoding.ASCII.GetString(image, offset, end - offset);
    }
}

#if !LLMOPS_CORE
/// <summary>MSBuild task: the build-time route. Patches each existing file in place when this machine needs it.</summary>
public sealed class LlmOpsPatchLibTorchSharp : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    public override bool Execute()
    {
        if (!LibTorchSharpPatch.SystemNeedsPatch(out string reason))
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"libLibTorchSharp.so left as shipped: {reason}.");
            return true;
        }
        foreach (var item in Files)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path))
                continue;
            int changed = LibTorchSharpPatch.PatchFile(path, path);
            if (changed > 0)
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"Patched {path}: {LibTorchSharpPatch.MissingVersion} need marked weak ({reason}).");
        }
        return !Log.HasLoggedErrors;
    }
}
#endif
