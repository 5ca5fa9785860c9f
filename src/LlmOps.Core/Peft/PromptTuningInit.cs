namespace LlmOps.Core.Peft;

/// <summary>How prompt tuning's virtual tokens start (peft's <c>PromptTuningInit</c>).</summary>
public enum PromptTuningInit
{
    /// <summary>Drawn N(0, 1), as peft's <c>RANDOM</c> (torch's embedding init).</summary>
    Random = 0,

    /// <summary>The embeddings of an init text's tokens, repeated or cut to N (peft's <c>TEXT</c>; Lester et al. find
    /// real-word starts train faster and more reliably than random ones).</summary>
    Text = 1,
}
