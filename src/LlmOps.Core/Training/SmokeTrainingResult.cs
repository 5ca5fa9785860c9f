namespace LlmOps.Core.Training;

/// <summary>What the smoke run did: the loss at every step, first and last.</summary>
public sealed record SmokeTrainingResult(
    string Device,
    int Steps,
    double InitialLoss,
    double FinalLoss,
    double Seconds,
    IReadOnlyList<double> Losses,
    bool Cancelled);
