using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.Data.Mixing;
using LlmOps.Core.IO;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Runs a <see cref="CleaningJob"/>: reads the input, cleans it through the recipe's steps, writes the kept documents
/// (optionally split), the rejects, a JSON report and a manifest that pins inputs, settings and outputs by hash. Every
/// file is written atomically, so a cancelled or failed run leaves no half-written corpus.
/// </summary>
public static class DataCleaner
{
    static readonly JsonSerializerOptions ReportOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <summary>Runs <paramref name="job"/>.</summary>
    /// <exception cref="OperationCanceledException">The run was cancelled; outputs from before stay as they were.</exception>
    public static async Task<CleaningJobResult> RunAsync(CleaningJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        var recipe = job.Recipe ?? CleaningRecipe.Default();
        Directory.CreateDirectory(job.OutputFolder);
        string rejectsPath = Path.Combine(job.OutputFolder, "rejects.jsonl");
        File.Delete(rejectsPath); // the rejects file belongs to this run alone
        var files = new Dictionary<string, string>(StringComparer.Ordinal) { ["rejects"] = rejectsPath };

        CleaningReport report;
        ManifestFile inputFile;
        var kept = new List<Document>();
        using (var rejects = new RejectsWriter(rejectsPath))
        {
            var read = job.Read ?? new ReadOptions();
            if (read.OnBadRecord == BadRecordPolicy.Reject)
                read = read with { Rejects = rejects };
            var input = await CorpusInput.OpenAsync(job.Input, read, cancellationToken: cancellationToken).ConfigureAwait(false);
            var documents = job.Limit is { } limit ? input.Documents.Take(limit) : input.Documents;
            report = new CleaningPipeline(recipe.BuildSteps(), rejects).Run(documents, kept.Add, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            inputFile = ManifestFile.Of(input.Path) with { Path = input.Label };
        }

        DataSplit? split = null;
        var outputs = new List<ManifestFile>();
        if (job.Split is { } ratios)
        {
            split = HashSplitter.Split(kept, ratios);
            foreach (string part in new[] { "train", "validation", "test" })
            {
                string path = Path.Combine(job.OutputFolder, $"{part}.jsonl");
                outputs.Add(Output(Written(path, split[part]), split[part].Count));
                files[part] = path;
            }
        }
        else
        {
            string path = Path.Combine(job.OutputFolder, "clean.jsonl");
            outputs.Add(Output(Written(path, kept), kept.Count));
            files["clean"] = path;
        }
        outputs.Add(Output(rejectsPath, report.Removed));

        string reportPath = Path.Combine(job.OutputFolder, "report.json");
        await AtomicFile.WriteAllTextAsync(reportPath, JsonSerializer.Serialize(report, ReportOptions) + "\n", cancellationToken).ConfigureAwait(false);
        files["report"] = reportPath;

        var manifest = DataManifest.Create("clean", [inputFile], new { recipe, job.Split, job.Limit, read = ReadSettings(job.Read) },
            [.. report.Steps.Select(s => new ManifestStep(s.Name, s.Input, s.Kept, s.Changed, s.RemovedBy))], outputs);
        string manifestPath = Path.Combine(job.OutputFolder, DataManifest.FileName);
        manifest.Save(manifestPath);
        files["manifest"] = manifestPath;
        return new CleaningJobResult(report, manifest, files, split);
    }

    /// <summary>An output named by file name alone, so the manifest's id does not depend on where it was written.</summary>
    static ManifestFile Output(string path, long records) => ManifestFile.Of(path, records) with { Path = Path.GetFileName(path) };

    static string Written(string path, IEnumerable<Document> documents)
    {
        DocumentWriter.WriteJsonl(path, documents);
        return path;
    }

    /// <summary>The read settings that shape the data (not the rejects writer, which is a live object).</summary>
    static object? ReadSettings(ReadOptions? read) =>
        read is null ? null : new { read.TextField, read.IdField, read.Source, OnBadRecord = read.OnBadRecord.ToString(), Format = read.Format.ToString() };
}
