using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace LlmOps.Core.Data.Cleaning;

/// <summary>
/// Finds personal data in text with patterns plus the checks that make them precise: a number is reported only when it
/// is valid for its kind (Luhn for cards, ISO 7064 MOD 11-2 and a real birth date for Chinese IDs, octets up to 255 for
/// IPv4, <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> for IPv6), and never when it is part of a longer
/// digit run or dotted number. Precision is preferred to recall: a false hit rewrites good text in every document it
/// occurs in.
/// <list type="bullet">
/// <item>Email: <c>local@domain.tld</c>, ASCII, a letter-only top-level domain of 2 or more letters (so
/// <c>user@localhost</c> is not one).</item>
/// <item>IPv4: four octets 0-255 without leading zeros, not preceded by a dot or word character and not followed by
/// <c>.digit</c> (so <c>1.2.3.4.5</c> and <c>10.0.19041.1</c> are not).</item>
/// <item>IPv6: colon-hex groups (with <c>::</c> compression or a dotted IPv4 tail) that parse as IPv6, hold at least
/// one decimal digit (so identifiers such as <c>a::b</c> are not taken) and either start with <c>::</c> or have three
/// or more groups: two-group forms such as <c>A0::</c> or <c>B4F::5</c> are in mail far more often quoted-printable or
/// encoded bytes than addresses, so <c>fe80::1</c> is missed.</item>
/// <item>Phone, US/NANP: <c>(415) 555-2671</c>, <c>415-555-2671</c>, <c>415.555.2671</c>, <c>415 555 2671</c>, with
/// an optional <c>+1</c> or <c>1</c> prefix, or <c>+14155552671</c>; area code and exchange start with 2-9. Ten bare
/// digits are not taken (too many ids look like that).</item>
/// <item>Phone, Chinese mobile: <c>1[3-9]</c> and 9 more digits, optionally grouped 3-4-4 by spaces or dashes, with
/// an optional <c>+86</c> or <c>86</c> prefix.</item>
/// <item>Credit card: 13-19 digits, optionally grouped by single spaces or dashes, with the prefix and length of a
/// Visa, Mastercard, American Express, Discover, Diners Club, JCB or UnionPay number, passing the Luhn check.</item>
/// <item>Chinese resident ID: 17 digits and a check character (digit or X), region code starting 1-8, a birth date
/// between 1900-01-01 and today, and a valid GB 11643-1999 checksum.</item>
/// </list>
/// Where matches overlap (a card number that also reads as an ID), the earlier, then longer one is kept; at equal
/// spans the kind with the stricter check wins (email, Chinese ID, card, IPv6, IPv4, phone).
/// </summary>
public static partial class PiiScanner
{
    /// <summary>Every match in <paramref name="text"/>, in text order, without overlaps.</summary>
    public static IReadOnlyList<PiiMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var candidates = new List<PiiMatch>();
        Add(candidates, text, Email(), PiiKind.Email, _ => true);
        Add(candidates, text, ChineseId(), PiiKind.ChineseResidentId, IsValidChineseId);
        Add(candidates, text, CardNumber(), PiiKind.CreditCard, v => IsCardNumber(Digits(v)));
        Add(candidates, text, IPv6Candidate(), PiiKind.IPv6, IsIPv6);
        Add(candidates, text, IPv4(), PiiKind.IPv4, _ => true);
        Add(candidates, text, NanpPhone(), PiiKind.Phone, _ => true);
        Add(candidates, text, ChineseMobile(), PiiKind.Phone, _ => true);

        candidates.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : a.Length != b.Length ? b.Length.CompareTo(a.Length)
            : Priority(a.Kind).CompareTo(Priority(b.Kind)));
        var chosen = new List<PiiMatch>();
        int end = 0;
        foreach (var match in candidates)
        {
            if (match.Start < end)
                continue;
            chosen.Add(match);
            end = match.Start + match.Length;
        }
        return chosen;
    }

    /// <summary>Which kind wins a tie on the same span: the one with the stricter check.</summary>
    static int Priority(PiiKind kind) => kind switch
    {
        PiiKind.Email => 0,
        PiiKind.ChineseResidentId => 1,
        PiiKind.CreditCard => 2,
        PiiKind.IPv6 => 3,
        PiiKind.IPv4 => 4,
        _ => 5,
    };

    /// <summary>True when the digits pass the Luhn (mod 10) check that every payment card number carries.</summary>
    public static bool PassesLuhn(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        int sum = 0;
        bool doubled = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (doubled)
            {
                d *= 2;
                if (d > 9)
                    d -= 9;
            }
            sum += d;
            doubled = !doubled;
        }
        return digits.Length > 0 && sum % 10 == 0;
    }

    /// <summary>The GB 11643-1999 check character (ISO 7064 MOD 11-2) for the first 17 digits of an ID.</summary>
    public static char ChineseIdCheckCharacter(string first17)
    {
        ArgumentNullException.ThrowIfNull(first17);
        ReadOnlySpan<int> weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        if (first17.Length != 17 || !first17.All(char.IsAsciiDigit))
            throw new ArgumentException("expected 17 digits", nameof(first17));
        int sum = 0;
        for (int i = 0; i < 17; i++)
            sum += (first17[i] - '0') * weights[i];
        return "10X98765432"[sum % 11];
    }

    static bool IsValidChineseId(string id)
    {
        if (!DateTime.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900 || birth > DateTime.UtcNow.Date)
            return false;
        return char.ToUpperInvariant(id[17]) == ChineseIdCheckCharacter(id[..17]);
    }

    static bool IsIPv6(string candidate) =>
        candidate.Any(char.IsAsciiDigit)
        && (candidate.StartsWith("::", StringComparison.Ordinal) || candidate.Split(':').Count(g => g.Length > 0) >= 3)
        && IPAddress.TryParse(candidate, out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>True when <paramref name="digits"/> has the length and leading digits of a real issuer's range and
    /// passes Luhn. The ranges matter: one random digit run in ten passes Luhn, and mail is full of 14-digit
    /// timestamps (20020917173852) that would otherwise be taken for cards.</summary>
    static bool IsCardNumber(string digits)
    {
        int length = digits.Length;
        int two = int.Parse(digits.AsSpan(0, 2), CultureInfo.InvariantCulture);
        int three = int.Parse(digits.AsSpan(0, 3), CultureInfo.InvariantCulture);
        int four = int.Parse(digits.AsSpan(0, 4), CultureInfo.InvariantCulture);
        bool issued =
            (digits[0] == '4' && length is 13 or 16 or 19)                                   // Visa
            || (((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) && length == 16) // Mastercard
            || (two is 34 or 37 && length == 15)                                              // American Express
            || ((four == 6011 || two == 65 || (three >= 644 && three <= 649)) && length >= 16) // Discover
            || ((two is 36 or 38 || (three >= 300 && three <= 305)) && length is >= 14 and <= 19) // Diners Club
            || (four >= 3528 && four <= 3589 && length >= 16)                                 // JCB
            || (two == 62 && length >= 16);                                                   // UnionPay
        return issued && PassesLuhn(digits);
    }

    static string Digits(string value) => new([.. value.Where(char.IsAsciiDigit)]);

    static void Add(List<PiiMatch> candidates, string text, Regex pattern, PiiKind kind, Func<string, bool> valid)
    {
        foreach (Match match in pattern.Matches(text))
            if (valid(match.Value))
                candidates.Add(new PiiMatch(kind, match.Index, match.Length, match.Value));
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)")]
    private static partial Regex IPv4();

    [GeneratedRegex(@"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}|[0-9A-Fa-f]{0,4})(?![\w:]|\.\d)")]
    private static partial Regex IPv6Candidate();

    [GeneratedRegex(@"(?<![\w+]|\d[ .-])(?:(?:\+1|1)[ .-]?)?(?:\([2-9]\d\d\) ?|[2-9]\d\d[ .-])[2-9]\d\d[ .-]\d{4}(?!\w|[ .-]\d)|(?<![\w+])\+1[2-9]\d\d[2-9]\d{6}(?!\w)")]
    private static partial Regex NanpPhone();

    [GeneratedRegex(@"(?<![\w+]|\d[ -])(?:\+?86[ -]?)?1[3-9]\d(?:\d{8}|[ -]\d{4}[ -]\d{4})(?!\w|[ -]\d)")]
    private static partial Regex ChineseMobile();

    [GeneratedRegex(@"(?<![\w.-]|\d[ -])[2-6]\d{3}(?:[ -]?\d){9,15}(?!\w|[ -]\d)")]
    private static partial Regex CardNumber();

    [GeneratedRegex(@"(?<!\w)[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\w)")]
    private static partial Regex ChineseId();
}
