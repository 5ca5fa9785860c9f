namespace LlmOps.Core.IO;

/// <summary>
/// Writes a folder of files (a checkpoint) so that readers, crashes and cancellations only ever see the old folder or
/// the complete new one: the files go into a temporary sibling folder, which then replaces the target by rename. If
/// the swap fails half way, the old folder is put back.
/// </summary>
public static class AtomicFolder
{
    /// <summary>Replaces <paramref name="folder"/> with what <paramref name="write"/> puts into the (empty, existing)
    /// temporary folder it is given; if <paramref name="write"/> throws, the old folder stays as it was.</summary>
    public static void Write(string folder, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(write);
        string target = Path.GetFullPath(folder);
        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        string temporary = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        string? previous = null;
        Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
            if (Directory.Exists(target))
            {
                previous = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.old");
                Directory.Move(target, previous);
            }
            Directory.Move(temporary, target);
        }
        finally
        {
            if (Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
            if (previous is not null && Directory.Exists(previous))
            {
                if (Directory.Exists(target))
                    Directory.Delete(previous, recursive: true);
                else
                    Directory.Move(previous, target); // the swap failed half way: put the old folder back
            }
        }
    }
}
