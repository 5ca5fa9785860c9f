namespace LlmOps.Core.Training;

/// <summary>What a pretraining session did and where its checkpoints are.</summary>
/// <param name="RunName">The run's name.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Message">One sentence on how it ended; for a divergence it names the step and the last good checkpoint.</param>
/// <param name="Steps">Steps done in total (a resumed run counts the earlier sessions' steps).</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="ResumedFromStep">The step this session continued from; null for a fresh run.</param>
/// <param name="FinalTrainLoss">The last step's training loss (NaN when no step ran).</param>
/// <param name="FinalValidationLoss">The last evaluation's loss (NaN when none ran).</param>
/// <param name="BestValidationLoss">The lowest evaluation loss (NaN when none ran).</param>
/// <param name="BestStep">The step of that loss (0 when none).</param>
/// <param name="TokensSeen">Training tokens consumed, all sessions.</param>
/// <param name="Seconds">This session's wall time, set-up and evaluations included.</param>
/// <param name="TokensPerSecond">This session's training tokens over the time spent in training steps.</param>
/// <param name="Mfu">Model FLOPs utilisation at that throughput, against <paramref name="PeakFlopsPerSecond"/>.</param>
/// <param name="PeakFlopsPerSecond">The ceiling MFU is quoted against (measured fp32 matmul unless configured).</param>
/// <param name="Device">Where it ran, with the precision.</param>
/// <param name="LastCheckpoint">The newest checkpoint folder (resume from it), or null when none was written.</param>
/// <param name="BestCheckpoint">The checkpoint with the best validation loss, or null.</param>
/// <param name="Checkpoints">The step checkpoints on disk at the end, oldest first.</param>
/// <param name="RunId">The run store id of this session, or null when not tracked.</param>
/// <param name="Train">Every step's measurements.</param>
/// <param name="Validation">Every evaluation.</param>
public sealed record PretrainResult(
    string RunName,
    PretrainStatus Status,
    string Message,
    int Steps,
    int TotalSteps,
    int? ResumedFromStep,
    double FinalTrainLoss,
    double FinalValidationLoss,
    double BestValidationLoss,
    int BestStep,
    long TokensSeen,
    double Seconds,
    double TokensPerSecond,
    double Mfu,
    double PeakFlopsPerSecond,
    string Device,
    string? LastCheckpoint,
    string? BestCheckpoint,
    IReadOnlyList<string> Checkpoints,
    string? RunId,
    IReadOnlyList<TrainStep> Train,
    IReadOnlyList<EvalPoint> Validation);
