namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// One step of a cleaning pipeline: it sees documents one at a time, in corpus order, and keeps, rewrites or removes
/// each. Steps that need memory of earlier documents (dedup) keep it themselves, so the pipeline streams in order.
/// </summary>
public interface ICleaningStep
{
    /// <summary>Short name used in reports, manifests and the rejects file (e.g. <c>quality</c>, <c>near-dedup</c>).</summary>
    string Name { get; }

    /// <summary>The step's settings as a plain record, so a run manifest can say exactly how the data was made.</summary>
    object Config { get; }

    /// <summary>Returns the document to keep (the same instance, or a rewritten copy), or null to remove it; a step
    /// that removes calls <see cref="StepRecorder.Remove"/> to say which rule fired and why.</summary>
    Document? Apply(Document document, StepRecorder recorder);
}
