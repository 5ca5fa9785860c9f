using System.Globalization;
using System.Text;
using LlmOps.Core.Training;

namespace LlmOps.Core.Display;

/// <summary>The pretraining records as text: a one-line status for a run in flight (what a log or a plain-text
/// notebook output shows, rewritten in place on a terminal) and a table for a finished session. The HTML forms add
/// the loss chart.</summary>
public static class TrainingText
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Step, losses, learning rate, throughput, MFU and time, after a bar.</summary>
    public static string Line(PretrainProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        const int width = 30;
        int filled = (int)Math.Round(progress.Fraction * width);
        var text = new StringBuilder()
            .Append('[').Append('#', filled).Append('.', width - filled).Append("] ")
            .Append(Invariant, $"step {progress.Step}/{progress.TotalSteps}");
        if (progress.Train.Count > 0)
            text.Append(Invariant, $"  train {progress.TrainLoss:F4}");
        if (progress.Validation.Count > 0)
            text.Append(Invariant, $"  val {progress.ValidationLoss:F4} (best {progress.BestValidationLoss:F4})");
        text.Append(Invariant, $"  lr {progress.LearningRate:0.00e+00}");
        if (progress.Train.Count > 0)
            text.Append(Invariant, $"  {progress.TokensPerSecond:N0} tok/s  MFU {progress.Mfu * 100:F1}%");
        text.Append(Invariant, $"  {Duration(progress.ElapsedSeconds)}");
        if (progress.EtaSeconds is { } eta && progress.Step < progress.TotalSteps)
            text.Append(Invariant, $"  ETA {Duration(eta)}");
        return text.Append(Invariant, $"  ({progress.Device})").ToString();
    }

    /// <summary>The headline numbers of a finished (or stopped) session.</summary>
    public static TextTable Summary(PretrainResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        List<string[]> rows =
        [
            ["status", result.Status.ToString().ToLowerInvariant()],
            ["steps", result.ResumedFromStep is { } from ? string.Create(Invariant, $"{result.Steps}/{result.TotalSteps} (resumed at {from})") : string.Create(Invariant, $"{result.Steps}/{result.TotalSteps}")],
            ["train loss", Loss(result.FinalTrainLoss)],
            ["validation loss", Loss(result.FinalValidationLoss)],
            ["best validation", result.BestStep > 0 ? string.Create(Invariant, $"{result.BestValidationLoss:F4} at step {result.BestStep}") : "—"],
            ["tokens seen", result.TokensSeen.ToString("N0", Invariant)],
            ["throughput", string.Create(Invariant, $"{result.TokensPerSecond:N0} tok/s, MFU {result.Mfu * 100:F2}% of {result.PeakFlopsPerSecond / 1e12:G3} TFLOP/s")],
            ["time", Duration(result.Seconds)],
            ["device", result.Device],
            ["last checkpoint", result.LastCheckpoint ?? "none"],
            ["best checkpoint", result.BestCheckpoint ?? "none"],
        ];
        if (result.RunId is { } id)
            rows.Add(["run id", id]);
        rows.Add(["message", result.Message]);
        return new TextTable($"Pretraining: {result.RunName}", ["measure", "value"], rows);
    }


    static string Loss(double loss) => double.IsNaN(loss) ? "—" : loss.ToString("F4", Invariant);

    /// <summary>Seconds as <c>42.0s</c>, <c>3m07s</c> or <c>2h05m</c>.</summary>
    public static string Duration(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
            return "?";
        if (seconds < 60)
            return seconds.ToString("F1", Invariant) + "s";
        var span = TimeSpan.FromSeconds(seconds);
        return span.TotalHours >= 1
            ? string.Create(Invariant, $"{(int)span.TotalHours}h{span.Minutes:D2}m")
            : string.Create(Invariant, $"{span.Minutes}m{span.Seconds:D2}s");
    }
}
