using LlmOps.Core.Data.Cleaning;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class PiiScannerTests
{
    static PiiMatch Single(string text) => Assert.Single(PiiScanner.Find(text));

    [Theory]
    [InlineData("mail jane.doe+news@example.co.uk today", "jane.doe+news@example.co.uk")]
    [InlineData("<ZZZ@spamassassin.taint.org>", "ZZZ@spamassassin.taint.org")]
    [InlineData("write to a_b-c@mail-server.example.org.", "a_b-c@mail-server.example.org")]
    public void Emails_are_found(string text, string email)
    {
        var match = Single(text);
        Assert.Equal(PiiKind.Email, match.Kind);
        Assert.Equal(email, match.Value);
        Assert.Equal(text.IndexOf(email, StringComparison.Ordinal), match.Start);
        Assert.Equal(email.Length, match.Length);
    }

    [Theory]
    [InlineData("Received: from mail [193.120.211.219] by", "193.120.211.219")]
    [InlineData("ping 10.0.0.1.", "10.0.0.1")]
    [InlineData("0.0.0.0 and more", "0.0.0.0")]
    [InlineData("host 255.255.255.255:80", "255.255.255.255")]
    public void IPv4_addresses_are_found(string text, string ip)
    {
        var match = Single(text);
        Assert.Equal((PiiKind.IPv4, ip), (match.Kind, match.Value));
    }

    [Theory]
    [InlineData("addr 2001:db8:85a3:0:0:8a2e:370:7334 here", "2001:db8:85a3:0:0:8a2e:370:7334")]
    [InlineData("loopback ::1 only", "::1")]
    [InlineData("link fe80::1ff:fe23:4567:890a.", "fe80::1ff:fe23:4567:890a")]
    [InlineData("net 2001:db8:0:: is documentation", "2001:db8:0::")]
    [InlineData("mapped ::ffff:192.0.2.128 address", "::ffff:192.0.2.128")]
    public void IPv6_addresses_are_found_full_and_compressed(string text, string ip)
    {
        var match = Single(text);
        Assert.Equal((PiiKind.IPv6, ip), (match.Kind, match.Value));
    }

    [Theory]
    [InlineData("call (415) 555-2671 now", "(415) 555-2671")]
    [InlineData("call 415-555-2671 now", "415-555-2671")]
    [InlineData("call 415.555.2671.", "415.555.2671")]
    [InlineData("call +1 415 555 2671 now", "+1 415 555 2671")]
    [InlineData("call 1-800-555-0199 now", "1-800-555-0199")]
    [InlineData("call +14155552671 now", "+14155552671")]
    [InlineData("手机 13812345678 联系", "13812345678")]
    [InlineData("tel +86 138 1234 5678.", "+86 138 1234 5678")]
    [InlineData("tel +8615912345678", "+8615912345678")]
    public void Phone_numbers_are_found(string text, string phone)
    {
        var match = Single(text);
        Assert.Equal((PiiKind.Phone, phone), (match.Kind, match.Value));
    }

    [Theory]
    [InlineData("card 4111 1111 1111 1111 exp", "4111 1111 1111 1111")]
    [InlineData("card 5500-0000-0000-0004.", "5500-0000-0000-0004")]
    [InlineData("amex 378282246310005", "378282246310005")]
    [InlineData("discover 6011000000000004", "6011000000000004")]
    [InlineData("unionpay 6200000000000005", "6200000000000005")]
    [InlineData("mastercard 2-series 2223000048400011", "2223000048400011")]
    [InlineData("old visa 4222222222222", "4222222222222")]
    public void Credit_card_numbers_that_pass_luhn_are_found(string text, string card)
    {
        var match = Single(text);
        Assert.Equal((PiiKind.CreditCard, card), (match.Kind, match.Value));
    }

    [Theory]
    [InlineData("身份证 11010519491231002X 号", "11010519491231002X")]
    [InlineData("id 110101199003074258", "110101199003074258")]
    [InlineData("id 310115200012311236.", "310115200012311236")]
    [InlineData("id 51010719851109777x", "51010719851109777x")]
    public void Chinese_resident_ids_with_a_valid_checksum_and_date_are_found(string text, string id)
    {
        var match = Single(text);
        Assert.Equal((PiiKind.ChineseResidentId, id), (match.Kind, match.Value));
    }

    [Theory]
    [InlineData("octet too large 256.1.1.1")]
    [InlineData("version 1.2.3.4.5 released")]
    [InlineData("windows 10.0.19041.1 build")]
    [InlineData("leading zeros 01.02.03.04")]
    [InlineData("card 4111 1111 1111 1112 (bad Luhn)")]
    [InlineData("id 110105194912310021 (bad checksum)")]
    [InlineData("id 440524188001011009 (born 1880: not plausible)")]
    [InlineData("id 110101199013074250 (month 13)")]
    [InlineData("run 1234567890123456789012345 of digits")]
    [InlineData("order 98765432101234 shipped")]
    [InlineData("phone inside digits 9913812345678999")]
    [InlineData("on 2002-08-22 at 13:17:22 and 08/22/2002")]
    [InlineData("area code 123-555-2671 and exchange 415-155-2671 start with 1")]
    [InlineData("call 555-2671 (no area code)")]
    [InlineData("time 12:30:45 and mac 00:1A:2B:3C:4D:5E")]
    [InlineData("std::vector and a::b")]
    [InlineData("quoted-printable =A0::=A0 and ISO-2022 bytes $B4F::5!G")]
    [InlineData("timestamps 20020917173852 and 2002071721591787 pass Luhn but no issuer's range")]
    [InlineData("visa length 41111111111111113 (17 digits, passes Luhn)")]
    [InlineData("zzzz@localhost has no domain")]
    [InlineData("mobile 12812345678 (no 12x prefix)")]
    public void Look_alikes_are_not_found(string text) =>
        Assert.Empty(PiiScanner.Find(text));

    [Fact]
    public void Matches_come_in_text_order_with_kinds_and_offsets()
    {
        string text = "Jo <jo@example.com>, 10.1.2.3, (212) 555-0147, 4111111111111111.";
        var matches = PiiScanner.Find(text);
        Assert.Equal(
            [
                new PiiMatch(PiiKind.Email, 4, 14, "jo@example.com"),
                new PiiMatch(PiiKind.IPv4, 21, 8, "10.1.2.3"),
                new PiiMatch(PiiKind.Phone, 31, 14, "(212) 555-0147"),
                new PiiMatch(PiiKind.CreditCard, 47, 16, "4111111111111111"),
            ],
            matches);
    }

    [Fact]
    public void An_id_that_also_passes_luhn_is_reported_once_as_an_id()
    {
        Assert.True(PiiScanner.PassesLuhn("620102199001011057"));
        var match = Single("id 620102199001011057");
        Assert.Equal(PiiKind.ChineseResidentId, match.Kind);
    }

    [Fact]
    public void The_check_character_follows_gb_11643()
    {
        Assert.Equal('X', PiiScanner.ChineseIdCheckCharacter("11010519491231002"));
        Assert.Equal('4', PiiScanner.ChineseIdCheckCharacter("44052418800101001"));
        Assert.Equal('8', PiiScanner.ChineseIdCheckCharacter("11010119900307425"));
    }
}
