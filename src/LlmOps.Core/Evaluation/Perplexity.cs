namespace LlmOps.Core.Evaluation;

/// <summary>
/// The <c>loglikelihood_rolling</c> metrics over a set of documents, each aggregated over the corpus (total
/// log-likelihood over total units, not a mean of per-document values), as lm-evaluation-harness's
/// <c>weighted_perplexity</c> and <c>bits_per_byte</c> aggregations do:
/// <list type="bullet">
/// <item><c>perplexity</c>: exp(−Σ log p / tokens), the exponent of the mean next-token cross entropy the trainer
/// reports as validation loss;</item>
/// <item><c>word_perplexity</c>: exp(−Σ log p / words), words counted as the harness does, <c>len(re.split(r"\s+", doc))</c>;</item>
/// <item><c>byte_perplexity</c>: exp(−Σ log p / UTF-8 bytes);</item>
/// <item><c>bits_per_byte</c>: −Σ log p / (UTF-8 bytes · ln 2).</item>
/// </list>
/// The word and byte forms do not depend on the tokenizer, so models with different vocabularies compare.
/// </summary>
/// <param name="LogLikelihood">Σ log p over every token of every document (natural log).</param>
/// <param name="Tokens">Tokens scored.</param>
/// <param name="Words">Words, by the harness's count.</param>
/// <param name="Bytes">UTF-8 bytes.</param>
public sealed record Perplexity(double LogLikelihood, long Tokens, long Words, long Bytes)
{
    /// <summary>exp of the mean negative log-likelihood per token.</summary>
    public double TokenPerplexity => Math.Exp(-LogLikelihood / Tokens);

    /// <summary>exp of the negative log-likelihood per word.</summary>
    public double WordPerplexity => Math.Exp(-LogLikelihood / Words);

    /// <summary>exp of the negative log-likelihood per byte.</summary>
    public double BytePerplexity => Math.Exp(-LogLikelihood / Bytes);

    /// <summary>Bits needed per byte of text.</summary>
    public double BitsPerByte => -LogLikelihood / (Bytes * Math.Log(2));

    /// <summary>The harness's word count: pieces of <c>re.split(r"\s+", text)</c>, which counts an empty piece at
    /// either end when the text starts or ends with white space.</summary>
    public static long CountWords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        long pieces = 1;
        for (int i = 0; i < text.Length; i++)
            if (char.IsWhiteSpace(text[i]) && (i == 0 || !char.IsWhiteSpace(text[i - 1])))
                pieces++;
        return pieces;
    }
}
