using System.Globalization;
using LlmOps.Core.Data;

namespace LlmOps.Core.FineTuning.Instructions;

/// <summary>A generated instruction set: every example with its split, and the settings that made it.</summary>
/// <param name="Entries">Every example, in generation order.</param>
/// <param name="Config">The generator's settings.</param>
/// <param name="Sources">The dataset folders the facts were read from.</param>
public sealed record InstructionSet(IReadOnlyList<InstructionEntry> Entries, InstructionGeneratorConfig Config, IReadOnlyList<string> Sources)
{
    /// <summary>The file name of each split in a saved set.</summary>
    public static string FileName(InstructionSplit split) => split.ToString().ToLowerInvariant() + ".jsonl";

    /// <summary>The training examples.</summary>
    public IReadOnlyList<InstructionExample> Train => Of(InstructionSplit.Train);

    /// <summary>The validation examples.</summary>
    public IReadOnlyList<InstructionExample> Validation => Of(InstructionSplit.Validation);

    /// <summary>The held-out test examples.</summary>
    public IReadOnlyList<InstructionExample> Test => Of(InstructionSplit.Test);

    /// <summary>The examples of one split.</summary>
    public IReadOnlyList<InstructionExample> Of(InstructionSplit split) => [.. Entries.Where(e => e.Split == split).Select(e => e.Example)];

    /// <summary>Counts per task and split, for a look before training.</summary>
    public IReadOnlyList<(string Task, InstructionTaskKind Kind, int Train, int Validation, int Test)> Counts() =>
        [.. Entries.GroupBy(e => e.Example.Task ?? "")
            .Select(g => (g.Key, g.First().Kind, g.Count(e => e.Split == InstructionSplit.Train),
                g.Count(e => e.Split == InstructionSplit.Validation), g.Count(e => e.Split == InstructionSplit.Test)))];

    /// <summary>Writes <c>train.jsonl</c>, <c>validation.jsonl</c>, <c>test.jsonl</c> in <paramref name="shape"/> and
    /// the data stage's <c>manifest.json</c> (inputs, config, counts per split, output hashes) into <paramref name="folder"/>.</summary>
    /// <returns>The manifest.</returns>
    public async Task<DataManifest> SaveAsync(string folder, InstructionShape shape = InstructionShape.Chat, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var outputs = new List<ManifestFile>();
        foreach (var split in Enum.GetValues<InstructionSplit>())
        {
            var examples = Of(split);
            string path = Path.Combine(folder, FileName(split));
            await InstructionJsonl.WriteAsync(path, examples, shape, cancellationToken).ConfigureAwait(false);
            outputs.Add(ManifestFile.Of(path, examples.Count));
        }
        // One step per task: its examples in, those kept for training, those set aside for validation and test.
        var steps = Counts().Select(c => new ManifestStep(c.Task, c.Train + c.Validation + c.Test, c.Train, 0,
            new Dictionary<string, long>(StringComparer.Ordinal) { ["validation"] = c.Validation, ["test"] = c.Test })).ToList();
        var manifest = DataManifest.Create("instruct-generate", [.. Sources.Select(s => ManifestFile.Of(s))],
            new { Config.Seed, Config.ExamplesPerTask, Tasks = Config.Tasks ?? [.. Counts().Select(c => c.Task)], Config.TestFraction, Config.ValidationFraction, Config.System, Shape = shape.ToString() },
            steps, outputs);
        manifest.Save(Path.Combine(folder, DataManifest.FileName));
        return manifest;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Entries.Count} instruction examples over {Counts().Count} tasks: {Train.Count} train, {Validation.Count} validation, {Test.Count} test");
}
