using System.Globalization;
using LlmOps.Core.IO;
using LlmOps.Core.Modeling;
using TorchSharp.Modules;

namespace LlmOps.Core.Training;

/// <summary>
/// The <c>checkpoints/</c> folder of a run of the <see cref="TrainingLoop"/> (every trainer's, despite the name): one
/// folder per saved step (<c>step-000500/</c> holding the task's weights, for a GPT <c>model.safetensors</c> +
/// <c>config.json</c> from <see cref="GptCheckpoint"/>, then <c>optimizer.bin</c> and <c>trainer.json</c>), and two
/// pointer files, <c>last</c> and <c>best</c>, each holding a folder's name.
/// </summary>
/// <remarks>
/// <para>A checkpoint is written whole into a hidden temporary folder and renamed into place, and only then does
/// <c>last</c> move (itself an atomic file replace), so a crash leaves the previous checkpoint and pointer intact.</para>
/// <para><c>best</c> is a pointer rather than a copy: the weights are not written twice, and pruning to the last
/// <see cref="KeepLast"/> step folders always spares the one <c>best</c> names.</para>
/// </remarks>
public sealed class PretrainCheckpoints
{
    /// <summary>The optimizer state's file name (TorchSharp's own format: group options, then per-parameter moments).</summary>
    public const string OptimizerFile = "optimizer.bin";

    /// <summary>The pointer file naming the newest checkpoint.</summary>
    public const string LastPointer = "last";

    /// <summary>The pointer file naming the checkpoint with the lowest validation loss.</summary>
    public const string BestPointer = "best";

    const string Prefix = "step-";

    /// <summary>Manages <paramref name="folder"/>, keeping <paramref name="keepLast"/> step checkpoints.</summary>
    public PretrainCheckpoints(string folder, int keepLast)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(keepLast);
        Folder = Path.GetFullPath(folder);
        KeepLast = keepLast;
    }

    /// <summary>The checkpoints folder.</summary>
    public string Folder { get; }

    /// <summary>How many step checkpoints survive pruning (besides the best).</summary>
    public int KeepLast { get; }

    /// <summary>The folder name for <paramref name="step"/>: zero-padded so names sort by step.</summary>
    public static string NameFor(int step) => Prefix + step.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The newest checkpoint: what <c>last</c> names, else the highest complete step folder (a crash between
    /// the rename and the pointer update), else null.</summary>
    public string? Last => Resolve(LastPointer) ?? Steps().Select(s => s.Path).LastOrDefault();

    /// <summary>The checkpoint <c>best</c> names, or null.</summary>
    public string? Best => Resolve(BestPointer);

    /// <summary>Complete step checkpoints (those with a <c>trainer.json</c>), oldest first.</summary>
    public IReadOnlyList<(int Step, string Path)> Steps()
    {
        if (!Directory.Exists(Folder))
            return [];
        var steps = new List<(int, string)>();
        foreach (string path in Directory.GetDirectories(Folder, Prefix + "*"))
        {
            string name = Path.GetFileName(path);
            if (int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int step)
                && File.Exists(Path.Combine(path, TrainerState.FileName)))
                steps.Add((step, path));
        }
        return [.. steps.OrderBy(s => s.Item1)];
    }

    /// <summary>Writes the checkpoint of <paramref name="state"/>'s step with <paramref name="model"/>'s weights as
    /// <see cref="GptCheckpoint"/> writes them; see <see cref="Save(Action{string}, AdamW, TrainerState, bool)"/>.</summary>
    /// <returns>The checkpoint folder.</returns>
    public string Save(Gpt model, AdamW optimizer, TrainerState state, CheckpointMetadata metadata, bool isBest)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Save(folder => GptCheckpoint.Save(folder, model, metadata), optimizer, state, isBest);
    }

    /// <summary>Writes the checkpoint of <paramref name="state"/>'s step with weights written by
    /// <paramref name="writeWeights"/> (any model's format), moves <c>last</c> to it (and <c>best</c> when
    /// <paramref name="isBest"/>), then prunes. An existing folder for the same step is replaced.</summary>
    /// <param name="writeWeights">Writes the weights into the folder it is given (a temporary one, renamed when whole).</param>
    /// <param name="optimizer">The optimizer whose state resumes the run.</param>
    /// <param name="state">The trainer state; written last, so a folder with <c>trainer.json</c> is complete.</param>
    /// <param name="isBest">Whether <c>best</c> moves to this checkpoint too.</param>
    /// <returns>The checkpoint folder.</returns>
    public string Save(Action<string> writeWeights, AdamW optimizer, TrainerState state, bool isBest)
    {
        ArgumentNullException.ThrowIfNull(writeWeights);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        Directory.CreateDirectory(Folder);
        string name = NameFor(state.Step);
        string target = Path.Combine(Folder, name);
        AtomicFolder.Write(target, temporary =>
        {
            writeWeights(temporary);
            using (var stream = new FileStream(Path.Combine(temporary, OptimizerFile), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                    optimizer.save_state_dict(writer);
                stream.Flush(flushToDisk: true);
            }
            state.Save(Path.Combine(temporary, TrainerState.FileName)); // last: a folder with trainer.json is complete
        });
        AtomicFile.WriteAllText(Path.Combine(Folder, LastPointer), name + "\n");
        if (isBest)
            AtomicFile.WriteAllText(Path.Combine(Folder, BestPointer), name + "\n");
        Prune();
        return target;
    }

    /// <summary>Loads <c>optimizer.bin</c> of <paramref name="checkpoint"/> into <paramref name="optimizer"/>, which
    /// must have been built the same way over the same model shape.</summary>
    /// <exception cref="InvalidDataException">The file does not match the optimizer; the message names it.</exception>
    public static void LoadOptimizer(string checkpoint, AdamW optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        string path = Path.Combine(checkpoint, OptimizerFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no optimizer state; the checkpoint cannot resume training exactly.", path);
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: does not fit this model's optimizer ({e.Message}).", e);
        }
    }

    /// <summary>Deletes step folders beyond the newest <see cref="KeepLast"/>, sparing the ones <c>best</c> and
    /// <c>last</c> name; leftovers of interrupted saves (hidden temporary folders) go too.</summary>
    public void Prune()
    {
        var spared = new[] { Best, Resolve(LastPointer) }.OfType<string>().Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var steps = Steps();
        foreach (var (_, path) in steps.Take(Math.Max(0, steps.Count - KeepLast)))
        {
            if (!spared.Contains(Path.GetFileName(path)))
                Directory.Delete(path, recursive: true);
        }
        foreach (string leftover in Directory.GetDirectories(Folder, $".{Prefix}*"))
        {
            if (leftover.EndsWith(".tmp", StringComparison.Ordinal) || leftover.EndsWith(".old", StringComparison.Ordinal))
                Directory.Delete(leftover, recursive: true);
        }
    }

    string? Resolve(string pointer)
    {
        string file = Path.Combine(Folder, pointer);
        if (!File.Exists(file))
            return null;
        string name = File.ReadAllText(file).Trim();
        string path = Path.Combine(Folder, name);
        return name.Length > 0 && Path.GetFileName(name) == name && File.Exists(Path.Combine(path, TrainerState.FileName)) ? path : null;
    }
}
