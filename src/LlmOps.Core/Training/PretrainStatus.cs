namespace LlmOps.Core.Training;

/// <summary>How a pretraining run ended.</summary>
public enum PretrainStatus
{
    /// <summary>Reached its maximum number of steps.</summary>
    Completed,
    /// <summary>Stopped because the validation loss stopped improving for the configured patience.</summary>
    EarlyStopped,
    /// <summary>Stopped on request (Ctrl-C, a notebook interrupt); the last checkpoint resumes it exactly.</summary>
    Cancelled,
    /// <summary>Stopped because the loss or the gradient norm was NaN or infinite; the weights were not updated with it,
    /// and the last good checkpoint is named in the result.</summary>
    Diverged,
}
