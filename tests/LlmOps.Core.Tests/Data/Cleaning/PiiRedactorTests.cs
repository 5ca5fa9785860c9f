using LlmOps.Core.Data;
using LlmOps.Core.Data.Cleaning;
using LlmOps.Core.Datasets;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Data.Cleaning;

public class PiiRedactorTests
{
    [Fact]
    public void Each_match_becomes_its_typed_placeholder_and_is_counted()
    {
        var recorder = new StepRecorder();
        var document = new Document("d1", "Mail bob@example.org or jo@example.com from 192.168.0.7 / 2001:db8::1, call (415) 555-2671 or 13812345678, card 4111-1111-1111-1111, ID 11010519491231002X.", "test");

        var kept = new PiiRedactor().Apply(document, recorder);

        Assert.NotNull(kept);
        Assert.Equal("Mail <EMAIL> or <EMAIL> from <IPV4> / <IPV6>, call <PHONE> or <PHONE>, card <CREDIT_CARD>, ID <CN_ID>.", kept.Text);
        Assert.Equal("d1", kept.Id);
        Assert.Null(recorder.RemovedBy);
        Assert.Equal(
            new Dictionary<string, long> { ["pii:email"] = 2, ["pii:ipv4"] = 1, ["pii:ipv6"] = 1, ["pii:phone"] = 2, ["pii:credit_card"] = 1, ["pii:cn_id"] = 1 },
            recorder.Counters.ToDictionary());
    }

    [Fact]
    public void Text_without_pii_is_kept_as_the_same_instance()
    {
        var document = new Document("d", "Version 1.2.3.4.5 shipped on 2002-08-22.", "test");
        var recorder = new StepRecorder();
        Assert.Same(document, new PiiRedactor().Apply(document, recorder));
        Assert.Empty(recorder.Counters);
    }

    [Fact]
    public void Only_the_configured_kinds_are_redacted()
    {
        var redactor = new PiiRedactor(new PiiRedactorConfig { Kinds = [PiiKind.Email] });
        Assert.Equal("<EMAIL> at 10.0.0.1", redactor.Redact("x@example.com at 10.0.0.1"));
    }

    /// <summary>The real SpamAssassin corpus (fetched like the other real-data tests; the cache makes it offline after
    /// the first run) has addresses in every header and phone numbers in spam bodies.</summary>
    [Fact]
    public async Task The_scanner_finds_emails_and_phones_in_real_spam_assassin_mail()
    {
        var entry = DatasetCatalog.Load(RepoPaths.Path("datasets", "catalog.json")).Find("spam-assassin");
        var fetched = await new DatasetFetcher(DatasetFetcher.DefaultCacheRoot()).FetchAsync(entry);
        var emails = SpamAssassin.Read(fetched).Take(1500).ToList();

        var counts = emails.SelectMany(e => PiiScanner.Find(e.Text)).GroupBy(m => m.Kind).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(1500, emails.Count);
        Assert.True(counts.GetValueOrDefault(PiiKind.Email) > 1500, $"emails: {counts.GetValueOrDefault(PiiKind.Email)}");
        Assert.True(counts.GetValueOrDefault(PiiKind.Phone) >= 10, $"phones: {counts.GetValueOrDefault(PiiKind.Phone)}");
        Assert.True(counts.GetValueOrDefault(PiiKind.IPv4) > 1500, $"IPv4: {counts.GetValueOrDefault(PiiKind.IPv4)}");
    }
}
