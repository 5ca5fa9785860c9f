namespace LlmOps.Core.Training;

/// <summary>Settings for the smoke run: a small MLP learning y = sin(x) on [-π, π].</summary>
/// <param name="Steps">Optimiser steps (full batch).</param>
/// <param name="Hidden">Width of the hidden layer.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Points">Training points, evenly spaced.</param>
/// <param name="Seed">Seed for weights (the data are fixed).</param>
/// <param name="Device"><c>auto</c>, <c>cpu</c>, <c>cuda</c>, or null for the environment's choice.</param>
public sealed record SmokeTrainingConfig(
    int Steps = 400,
    int Hidden = 32,
    double LearningRate = 0.01,
    int Points = 256,
    int Seed = 1337,
    string? Device = null);
