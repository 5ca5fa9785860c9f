using LlmOps.Core.Evaluation;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Evaluation;

public class ContaminationTests
{
    const string Leaked = "the quick brown fox jumps over the lazy dog while the farmer sleeps in the barn";

    static (EvalSuite Suite, string Training, string Data) Setup()
    {
        string folder = RepoPaths.NewTempFolder("llmops-contamination");
        string data = Path.Combine(folder, "qa.jsonl");
        File.WriteAllLines(data,
        [
            """{"question": "What colour is the sky on a clear summer day in the south of France?", "answer": "blue"}""",
            "",
            """{"question": "Finish: The Quick, brown fox jumps over the LAZY dog while the farmer", "answer": "sleeps in the barn"}""",
            """{"question": "Two plus two?", "answer": "four"}""",
        ]);
        // The leaked passage is split over a line break and differs in case and punctuation.
        string training = Path.Combine(folder, "train.txt");
        File.WriteAllText(training, "Once upon a time. The quick brown fox jumps over\nthe lazy dog, while the farmer sleeps; in the barn.\nUnrelated text.\n");
        File.WriteAllText(Path.Combine(folder, "suite.json"), """
            { "name": "s", "tasks": [ { "name": "qa", "kind": "generate_until", "data": "qa.jsonl", "prompt": "{question}", "target": "{answer}", "metrics": ["exact_match"] } ] }
            """);
        return (EvalSuite.Load(Path.Combine(folder, "suite.json")), training, data);
    }

    [Fact]
    public void NGrams_are_lower_cased_words_without_punctuation()
    {
        Assert.Equal(["don't stop", "stop me", "me now"], ContaminationCheck.NGrams("Don't STOP, me... now!", 2));
        Assert.Empty(ContaminationCheck.NGrams("twelve words are not enough for a thirteen gram at all"));
        Assert.Equal(Leaked.Split(' ').Length - 12, ContaminationCheck.NGrams(Leaked).Count());
    }

    [Fact]
    public void An_item_sharing_a_13_gram_with_training_text_is_flagged_with_it_and_can_be_excluded()
    {
        var (suite, training, data) = Setup();

        var report = ContaminationCheck.Check(suite, [training]);

        var item = Assert.Single(report.Items);
        Assert.Equal(("qa", 3L), (item.Task, item.Line));
        Assert.Equal("the quick brown fox jumps over the lazy dog while the farmer sleeps", item.NGram);
        Assert.Equal(2, report.Checked); // "Two plus two? four" is shorter than 13 words

        var clean = report.Exclude(suite, RepoPaths.NewTempFolder("llmops-contamination-clean"));
        Assert.Equal([1L, 3L], EvalData.ReadRecords(clean.Tasks[0].Data).Select(r => r.Line)); // lines 1 and 4 of the original
        Assert.Equal(3, EvalData.ReadRecords(data).Count); // the suite's own file is untouched
    }

    [Fact]
    public void A_missing_training_file_is_named()
    {
        var (suite, _, _) = Setup();
        var error = Assert.Throws<FileNotFoundException>(() => ContaminationCheck.Check(suite, ["/nowhere/train.txt"]));
        Assert.Contains("/nowhere/train.txt", error.Message, StringComparison.Ordinal);
    }
}
