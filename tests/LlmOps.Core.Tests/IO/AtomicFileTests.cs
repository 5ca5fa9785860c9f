using LlmOps.Core.IO;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public async Task A_write_replaces_the_file_creates_its_folder_and_leaves_no_temporary_behind()
    {
        string folder = RepoPaths.NewTempFolder("llmops-atomic");
        string path = Path.Combine(folder, "deeper", "result.json");

        AtomicFile.WriteAllText(path, "first");
        await AtomicFile.WriteAllTextAsync(path, "second ✓");

        Assert.Equal("second ✓", await File.ReadAllTextAsync(path));
        Assert.Equal([0xE2, 0x9C, 0x93], (await File.ReadAllBytesAsync(path))[^3..]); // UTF-8, no BOM
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public async Task A_cancelled_write_keeps_the_old_content()
    {
        string path = Path.Combine(RepoPaths.NewTempFolder("llmops-atomic"), "state.txt");
        AtomicFile.WriteAllText(path, "old");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAllTextAsync(path, new string('x', 1 << 20), cancel.Token));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
