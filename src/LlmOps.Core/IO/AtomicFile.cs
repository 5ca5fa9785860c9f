using System.Text;

namespace LlmOps.Core.IO;

/// <summary>
/// Writes files through a temporary file in the same folder and a rename, so a reader, a crash or a cancelled run
/// never leaves half a file behind: the path holds either the old content or the new. Text is UTF-8 without a BOM.
/// </summary>
public static class AtomicFile
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/>, creating its folder if needed.</summary>
    public static void WriteAllText(string path, string text)
    {
        string temporary = Temporary(path);
        try
        {
            File.WriteAllText(temporary, text, Utf8);
            File.Move(temporary, Path.GetFullPath(path), overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="text"/>, creating its folder if needed.</summary>
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default)
    {
        string temporary = Temporary(path);
        try
        {
            await File.WriteAllTextAsync(temporary, text, Utf8, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, Path.GetFullPath(path), overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes to a stream, for large
    /// outputs written piece by piece (a JSONL corpus); if <paramref name="write"/> throws, the old file stays.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temporary = Temporary(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                write(stream);
            File.Move(temporary, Path.GetFullPath(path), overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    static string Temporary(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }
}
