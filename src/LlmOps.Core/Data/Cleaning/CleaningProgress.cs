namespace LlmOps.Core.Data.Cleaning;

/// <summary>A cleaning run in flight, shown through the display hook and updated in place.</summary>
/// <param name="Documents">Documents read so far.</param>
/// <param name="Kept">Documents that passed every step so far.</param>
/// <param name="Megabytes">Megabytes of text read so far.</param>
/// <param name="ElapsedSeconds">Wall time so far.</param>
public sealed record CleaningProgress(long Documents, long Kept, double Megabytes, double ElapsedSeconds);
