using System.Text.RegularExpressions;
using LlmOps.Core.Evaluation;

namespace LlmOps.Core.Tests.Evaluation;

public class TextMetricTests
{
    [Fact]
    public void Corpus_bleu_matches_sacrebleus_documented_example()
    {
        // sacrebleu's README (github.com/mjpost/sacrebleu, "Using SacreBLEU from Python"): two reference streams, and
        // BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18).
        string[] hypotheses = ["The dog bit the man.", "It wasn't surprising.", "The man had just bitten him."];
        string[] first = ["The dog bit the man.", "It was not unexpected.", "The man bit him first."];
        string[] second = ["The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."];
        var references = hypotheses.Select((_, i) => (IReadOnlyList<string>)[first[i], second[i]]).ToList();

        var bleu = Bleu.Corpus(hypotheses, references);

        Assert.Equal(48.53, bleu.Score, 2);
        Assert.Equal([82.4, 50.0, 45.5, 37.5], bleu.Precisions.Select(p => Math.Round(p, 1)));
        Assert.Equal(0.943, bleu.BrevityPenalty, 3);
        Assert.Equal(17, bleu.HypothesisLength);
        Assert.Equal(18, bleu.ReferenceLength);
    }

    [Fact]
    public void Bleu_is_100_for_identical_text_and_0_without_a_shared_word()
    {
        Assert.Equal(100, Bleu.Corpus(["the cat sat on the mat"], [["the cat sat on the mat"]]).Score, 9);
        Assert.Equal(0, Bleu.Corpus(["dogs bark"], [["the cat sat on the mat"]]).Score);
    }

    [Fact]
    public void The_13a_tokenizer_splits_punctuation_but_not_numbers()
    {
        Assert.Equal(["Hello", ",", "world", "!", "It", "costs", "$", "3.50", ",", "1,000", "."], Bleu.Tokenize13a("Hello, world! It costs $3.50, 1,000."));
        Assert.Equal(["a", "&", "b", "<", "c"], Bleu.Tokenize13a("a &amp; b &lt; c"));
    }

    [Fact]
    public void Rouge_l_matches_lins_worked_example()
    {
        // Lin (2004), "ROUGE: A Package for Automatic Evaluation of Summaries", §3.1: with reference S1 "police killed
        // the gunman", S2 "police kill the gunman" has ROUGE-L 3/4 and S3 "the gunman kill police" 1/2.
        Assert.Equal(0.75, RougeL.Score("police kill the gunman", "police killed the gunman"), 12);
        Assert.Equal(0.5, RougeL.Score("the gunman kill police", "police killed the gunman"), 12);
        // rouge-score lower-cases and splits on anything but letters and digits; P = 2/2, R = 2/4.
        Assert.Equal(2 * 1.0 * 0.5 / 1.5, RougeL.Score("The GUNMAN!", "police killed the gunman"), 12);
        Assert.Equal((0.75 + 0.5) / 2, RougeL.Mean(["police kill the gunman", "the gunman kill police"], ["police killed the gunman", "police killed the gunman"]), 12);
    }

    [Fact]
    public void Token_f1_follows_squads_normalisation()
    {
        // Normalised: "cat sat on mat" against "cat sat": 2 shared tokens, precision 2/4, recall 2/2.
        Assert.Equal(2 * 0.5 * 1.0 / 1.5, TokenF1.Score("The cat sat on the mat.", "a cat sat"), 12);
        Assert.Equal(1, TokenF1.Score("Paris!", "paris"));
        Assert.Equal(0, TokenF1.Score("London", "Paris"));
        Assert.Equal(1, TokenF1.Score("the", "a")); // both normalise to nothing
        Assert.Equal(0, TokenF1.Score("", "Paris"));
    }

    [Fact]
    public void Exact_match_contains_and_regex_ignore_only_surrounding_white_space()
    {
        Assert.True(ExactMatch.Matches("  A banana.\n", "A banana."));
        Assert.False(ExactMatch.Matches("a banana.", "A banana."));
        Assert.True(ExactMatch.Contains("I think it is 42, surely", " 42 "));
        Assert.False(ExactMatch.Contains("anything", "  "));
        var gsm8k = new Regex(@"#### (\-?[0-9\.\,]+)");
        Assert.True(RegexMatch.Matches(gsm8k, "3 + 4 = 7 so #### 7", "7"));
        Assert.Equal("12", RegexMatch.Extract(gsm8k, "#### 12\n#### 13"));
        Assert.False(RegexMatch.Matches(gsm8k, "the answer is 7", "7"));
    }

    [Fact]
    public void Multiple_choice_accuracy_normalises_by_characters()
    {
        double[] logLikelihoods = [-4.0, -6.0];
        string[] choices = ["no", "absolutely"];
        Assert.Equal(0, MultipleChoiceAccuracy.Pick(logLikelihoods));
        Assert.Equal(1, MultipleChoiceAccuracy.PickNormalized(logLikelihoods, choices)); // -2.0 per char against -0.6
        Assert.Equal(0, MultipleChoiceAccuracy.Pick([-1.0, -1.0])); // ties go to the first, as numpy's argmax
    }

    [Fact]
    public void Perplexity_forms_follow_the_harness_definitions()
    {
        var perplexity = new Perplexity(LogLikelihood: -20, Tokens: 10, Words: 4, Bytes: 16);
        Assert.Equal(Math.Exp(2), perplexity.TokenPerplexity, 12);
        Assert.Equal(Math.Exp(5), perplexity.WordPerplexity, 9);
        Assert.Equal(Math.Exp(1.25), perplexity.BytePerplexity, 12);
        Assert.Equal(1.25 / Math.Log(2), perplexity.BitsPerByte, 12);
        Assert.Equal(3, Perplexity.CountWords("one two  three"));
        Assert.Equal(4, Perplexity.CountWords("one two three\n")); // re.split leaves an empty piece at the end
    }
}
