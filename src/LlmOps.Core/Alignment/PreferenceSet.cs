using System.Globalization;
using LlmOps.Core.Data;

namespace LlmOps.Core.Alignment;

/// <summary>A generated preference set: training pairs, held-out pairs (on inputs training never saw), and the settings.</summary>
/// <param name="Train">Pairs to train on.</param>
/// <param name="HeldOut">Pairs to measure on.</param>
/// <param name="Config">The generator's settings.</param>
/// <param name="Sources">The dataset folders the facts were read from.</param>
public sealed record PreferenceSet(IReadOnlyList<PreferencePair> Train, IReadOnlyList<PreferencePair> HeldOut, PreferenceGeneratorConfig Config, IReadOnlyList<string> Sources)
{
    /// <summary>The training file's name in a saved set.</summary>
    public const string TrainFile = "train.jsonl";

    /// <summary>The held-out file's name in a saved set.</summary>
    public const string HeldOutFile = "heldout.jsonl";

    /// <summary>Writes <c>train.jsonl</c> and <c>heldout.jsonl</c> in <paramref name="shape"/> and the data stage's
    /// <c>manifest.json</c> (inputs, config, counts per kind, output hashes) into <paramref name="folder"/>.</summary>
    /// <returns>The manifest.</returns>
    public async Task<DataManifest> SaveAsync(string folder, PreferenceShape shape = PreferenceShape.Chat, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var outputs = new List<ManifestFile>();
        foreach (var (name, pairs) in new[] { (TrainFile, Train), (HeldOutFile, HeldOut) })
        {
            string path = Path.Combine(folder, name);
            await PreferenceJsonl.WriteAsync(path, pairs, shape, cancellationToken).ConfigureAwait(false);
            outputs.Add(ManifestFile.Of(path, pairs.Count));
        }
        // One step per kind of rejected answer: its pairs in, those kept for training, those held out.
        var steps = Train.Concat(HeldOut).GroupBy(p => p.Kind ?? "").Select(g => new ManifestStep(g.Key, g.Count(), Train.Count(p => (p.Kind ?? "") == g.Key), 0,
            new Dictionary<string, long>(StringComparer.Ordinal) { ["heldout"] = HeldOut.Count(p => (p.Kind ?? "") == g.Key) })).ToList();
        var manifest = DataManifest.Create("preference-generate", [.. Sources.Select(s => ManifestFile.Of(s))],
            new { Config.Seed, Config.ExamplesPerTask, Config.Tasks, Config.HeldOutFraction, Config.RamblingShare, Config.System, Shape = shape.ToString() },
            steps, outputs);
        manifest.Save(Path.Combine(folder, DataManifest.FileName));
        return manifest;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Train.Count + HeldOut.Count} preference pairs: {Train.Count} train, {HeldOut.Count} held out; by kind {string.Join(", ", Train.Concat(HeldOut).GroupBy(p => p.Kind).Select(g => $"{g.Key} {g.Count()}"))}");
}
