namespace LlmOps.Core.Data.Cleaning;

/// <summary>The kinds of personal data <see cref="PiiScanner"/> finds; each has one placeholder and one counter name
/// (<see cref="PiiRedactor.Placeholder"/>, <see cref="PiiRedactor.CounterName"/>).</summary>
public enum PiiKind
{
    /// <summary>An email address (<c>&lt;EMAIL&gt;</c>).</summary>
    Email,
    /// <summary>An IPv4 address (<c>&lt;IPV4&gt;</c>).</summary>
    IPv4,
    /// <summary>An IPv6 address, full or <c>::</c>-compressed (<c>&lt;IPV6&gt;</c>).</summary>
    IPv6,
    /// <summary>A US/NANP or Chinese mobile phone number (<c>&lt;PHONE&gt;</c>).</summary>
    Phone,
    /// <summary>A payment card number that passes the Luhn check (<c>&lt;CREDIT_CARD&gt;</c>).</summary>
    CreditCard,
    /// <summary>A Chinese resident identity number, GB 11643-1999 (<c>&lt;CN_ID&gt;</c>).</summary>
    ChineseResidentId,
}
