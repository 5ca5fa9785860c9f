using System.Text;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Replaces personal data found by <see cref="PiiScanner"/> with a typed placeholder, so a model learns that an
/// address or number belongs there without memorising whose it is. Placeholders: <c>&lt;EMAIL&gt;</c>,
/// <c>&lt;IPV4&gt;</c>, <c>&lt;IPV6&gt;</c>, <c>&lt;PHONE&gt;</c>, <c>&lt;CREDIT_CARD&gt;</c>, <c>&lt;CN_ID&gt;</c>;
/// counters <c>pii:email</c>, <c>pii:ipv4</c>, <c>pii:ipv6</c>, <c>pii:phone</c>, <c>pii:credit_card</c>,
/// <c>pii:cn_id</c> (matches replaced). It never removes a document.
/// </summary>
public sealed class PiiRedactor(PiiRedactorConfig? config = null) : ICleaningStep
{
    readonly PiiRedactorConfig config = config ?? new PiiRedactorConfig();

    /// <inheritdoc />
    public string Name => "pii";

    /// <inheritdoc />
    public object Config => config;

    /// <summary>The text that replaces a match of <paramref name="kind"/>.</summary>
    public static string Placeholder(PiiKind kind) => kind switch
    {
        PiiKind.Email => "<EMAIL>",
        PiiKind.IPv4 => "<IPV4>",
        PiiKind.IPv6 => "<IPV6>",
        PiiKind.Phone => "<PHONE>",
        PiiKind.CreditCard => "<CREDIT_CARD>",
        PiiKind.ChineseResidentId => "<CN_ID>",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The counter a match of <paramref name="kind"/> adds to.</summary>
    public static string CounterName(PiiKind kind) => kind switch
    {
        PiiKind.Email => "pii:email",
        PiiKind.IPv4 => "pii:ipv4",
        PiiKind.IPv6 => "pii:ipv6",
        PiiKind.Phone => "pii:phone",
        PiiKind.CreditCard => "pii:credit_card",
        PiiKind.ChineseResidentId => "pii:cn_id",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The text with each match of the configured kinds replaced by its placeholder.</summary>
    public string Redact(string text, StepRecorder? recorder = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        int at = 0;
        foreach (var match in PiiScanner.Find(text))
        {
            if (!config.Kinds.Contains(match.Kind))
                continue;
            builder.Append(text, at, match.Start - at).Append(Placeholder(match.Kind));
            at = match.Start + match.Length;
            recorder?.Count(CounterName(match.Kind));
        }
        return at == 0 ? text : builder.Append(text, at, text.Length - at).ToString();
    }

    /// <inheritdoc />
    public Document? Apply(Document document, StepRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(recorder);
        string text = Redact(document.Text, recorder);
        return ReferenceEquals(text, document.Text) ? document : document with { Text = text };
    }
}
