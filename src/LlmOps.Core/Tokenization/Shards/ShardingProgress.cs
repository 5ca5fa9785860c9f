namespace LlmOps.Core.Tokenization.Shards;

/// <summary>A sharding run in flight, shown through the display hook and updated in place, so a long encode says how
/// far it is and how fast it goes.</summary>
/// <param name="Documents">Documents encoded and written so far.</param>
/// <param name="Tokens">Tokens written so far (separators included).</param>
/// <param name="Shards">Shard files completed so far.</param>
/// <param name="Megabytes">Megabytes (10^6 bytes) of UTF-8 text encoded so far.</param>
/// <param name="ElapsedSeconds">Wall time so far.</param>
public sealed record ShardingProgress(long Documents, long Tokens, int Shards, double Megabytes, double ElapsedSeconds)
{
    /// <summary>Text throughput, the number to compare with other tokenizers' encoders.</summary>
    public double MegabytesPerSecond => ElapsedSeconds > 0 ? Megabytes / ElapsedSeconds : 0;

    /// <summary>Token throughput.</summary>
    public double TokensPerSecond => ElapsedSeconds > 0 ? Tokens / ElapsedSeconds : 0;
}
