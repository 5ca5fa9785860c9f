using System.Text.Json;
using System.Text.Json.Serialization;
using LlmOps.Core.IO;

namespace LlmOps.Core.Training;

/// <summary>
/// <c>trainer.json</c> of a checkpoint: everything besides weights and optimizer moments that a resumed run needs to
/// continue as if it had never stopped, and the history so the loss chart continues too.
/// </summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="BatchesDrawn">Training batches the data sampler has drawn: with the seed, the data position (a resumed
/// sampler draws and discards this many).</param>
/// <param name="TorchRngState">libtorch's CPU generator state (dropout masks on the CPU), base64.</param>
/// <param name="BestValidationLoss">The lowest validation loss so far (infinity before the first evaluation).</param>
/// <param name="BestStep">The step of that loss.</param>
/// <param name="EvalsWithoutImprovement">Evaluations since the best, for early stopping.</param>
/// <param name="TokensSeen">Training tokens consumed so far.</param>
/// <param name="TrainingSeconds">Wall time spent in all sessions so far.</param>
/// <param name="Seed">The run's seed (a resume with another seed would not reproduce the run).</param>
/// <param name="BatchSize">Micro-batch size of the run (part of the data position).</param>
/// <param name="GradientAccumulationSteps">Micro-batches per step of the run (part of the data position).</param>
/// <param name="Schedule">The learning-rate schedule in force (a pure function of the step).</param>
/// <param name="Train">Every step's measurements so far.</param>
/// <param name="Validation">Every evaluation so far.</param>
/// <param name="RunIds">The run store records this training wrote to, oldest first: one, unless it was resumed against
/// another store.</param>
public sealed record TrainerState(
    int Step,
    long BatchesDrawn,
    string TorchRngState,
    double BestValidationLoss,
    int BestStep,
    int EvalsWithoutImprovement,
    long TokensSeen,
    double TrainingSeconds,
    int Seed,
    int BatchSize,
    int GradientAccumulationSteps,
    LearningRateSchedule Schedule,
    IReadOnlyList<TrainStep> Train,
    IReadOnlyList<EvalPoint> Validation,
    IReadOnlyList<string> RunIds)
{
    /// <summary>The file's name inside a checkpoint folder.</summary>
    public const string FileName = "trainer.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // Infinity before the first evaluation
    };

    /// <summary>Writes the state atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads <c>trainer.json</c>.</summary>
    /// <exception cref="FileNotFoundException">The checkpoint has no trainer state (a model-only checkpoint cannot resume training).</exception>
    /// <exception cref="InvalidDataException">The file is corrupt; the message names it.</exception>
    public static TrainerState Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: no trainer state; the folder is a model checkpoint, not a resumable training checkpoint.", path);
        try
        {
            var state = JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json);
            if (state?.Schedule is null || state.Train is null || state.Validation is null || state.TorchRngState is null)
                throw new InvalidDataException($"{path}: incomplete trainer state.");
            return state with { RunIds = state.RunIds ?? [] };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}: not a trainer state: {e.Message}", e);
        }
    }
}
