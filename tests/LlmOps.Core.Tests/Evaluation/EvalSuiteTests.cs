using LlmOps.Core.Data;
using LlmOps.Core.Evaluation;
using LlmOps.Tests;

namespace LlmOps.Core.Tests.Evaluation;

public class EvalSuiteTests
{
    const string GoodSuite = """
        {
          "name": "tiny",
          "tasks": [
            { "name": "qa", "kind": "generate_until", "data": "qa.jsonl", "prompt": "Q: {question}\nA:", "target": "{answer}",
              "fewShot": 1, "seed": 7, "metrics": ["exact_match", "token_f1", "bleu"], "generation": { "maxTokens": 8, "stop": ["\n"] } },
            { "name": "mc", "kind": "multiple_choice", "data": "sub/mc.jsonl", "prompt": "{question}", "metrics": ["acc", "acc_norm"] },
            { "name": "wiki", "kind": "loglikelihood_rolling", "data": "docs.jsonl", "prompt": "{text}", "metrics": ["perplexity", "bits_per_byte"] }
          ]
        }
        """;

    static string Write(string folder, string name, string text)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_suite_loads_with_data_paths_relative_to_its_file()
    {
        string folder = RepoPaths.NewTempFolder("llmops-eval-suite");
        var suite = EvalSuite.Load(Write(folder, "suite.json", GoodSuite));

        Assert.Equal("tiny", suite.Name);
        Assert.Equal([EvalTaskKind.GenerateUntil, EvalTaskKind.MultipleChoice, EvalTaskKind.LoglikelihoodRolling], suite.Tasks.Select(t => t.Kind));
        Assert.Equal(Path.Combine(folder, "sub", "mc.jsonl"), suite.Tasks[1].Data);
        Assert.Equal([EvalMetric.ExactMatch, EvalMetric.TokenF1, EvalMetric.Bleu], suite.Tasks[0].Metrics);
        Assert.Equal(new[] { "\n" }, suite.Tasks[0].Generation!.Stop);
        Assert.Equal(1234, suite.Tasks[1].Seed); // the harness's default
        Assert.Contains("\"kind\": \"loglikelihood_rolling\"", suite.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    // What the JSON reader rejects: the line and path it reports.
    [InlineData("\"generate_until\"", "\"generate_text\"", 4, "tasks[0].kind", "unknown kind 'generate_text'; expected one of generate_until,")]
    [InlineData("\"acc\", \"acc_norm\"", "\"acc\", \"accuracy\"", 6, "tasks[1].metrics[1]", "unknown metric 'accuracy'")]
    [InlineData("\"fewShot\": 1,", "\"fewshots\": 1,", 5, "tasks[0].fewshots", "could not be mapped")]
    [InlineData("\"prompt\": \"{text}\",", "\"prompt\": \"{text}\" ", 7, "tasks[2]", "invalid after a value")] // the reader names the object it was in
    // What validation rejects afterwards: the field's own line, or its task's when the setting is absent.
    [InlineData("\"acc\", \"acc_norm\"", "\"acc\", \"bleu\"", 6, "tasks[1].metrics[1]", "'bleu' is not a multiple_choice metric")]
    [InlineData("\"name\": \"mc\"", "\"name\": \"qa\"", 6, "tasks[1].name", "named twice")]
    [InlineData("\"metrics\": [\"perplexity\", \"bits_per_byte\"]", "\"metrics\": [\"perplexity\"], \"fewShot\": 2", 7, "tasks[2].fewShot", "no few-shot")]
    [InlineData("\"fewShot\": 1,", "\"fewShot\": -1,", 5, "tasks[0].fewShot", "must be 0 or more")]
    [InlineData("\"token_f1\",", "\"regex\",", 4, "tasks[0].answerPattern", "needs a pattern")]
    public void A_bad_suite_names_file_line_and_field(string from, string to, int line, string field, string reason)
    {
        string folder = RepoPaths.NewTempFolder("llmops-eval-bad-suite");
        string path = Write(folder, "suite.json", GoodSuite.Replace(from, to, StringComparison.Ordinal));

        var error = Assert.Throws<DataFormatException>(() => EvalSuite.Load(path));

        Assert.Equal((path, (long)line, field), (error.File, error.Line, error.Field));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"{path}, line {line}, field '{field}': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Harness_style_multiple_choice_lines_load_and_bad_ones_name_line_and_field()
    {
        string folder = RepoPaths.NewTempFolder("llmops-eval-mc");
        string good = Write(folder, "mc.jsonl", """
            {"question": "2 + 2 =", "choices": ["3", "4", "5"], "answer": 1, "subject": "math"}

            {"question": "Sky?", "choices": ["blue", "green"], "answer": "A"}
            """);
        var items = EvalData.ReadMultipleChoice(good);
        Assert.Equal([1, 0], items.Select(i => i.Answer));
        Assert.Equal([1L, 3L], items.Select(i => i.Record.Line));
        Assert.Equal(["3", "4", "5"], items[0].Choices);
        Assert.Equal("math", items[0].Record.Fields["subject"]);

        string badAnswer = Write(folder, "bad.jsonl", """
            {"question": "a", "choices": ["x", "y"], "answer": 0}
            {"question": "b", "choices": ["x", "y"], "answer": 2}
            """);
        var error = Assert.Throws<DataFormatException>(() => EvalData.ReadMultipleChoice(badAnswer));
        Assert.Equal((badAnswer, 2L, "answer"), (error.File, error.Line, error.Field));

        string badChoices = Write(folder, "bad2.jsonl", """{"question": "a", "choices": "x or y", "answer": 0}""");
        error = Assert.Throws<DataFormatException>(() => EvalData.ReadMultipleChoice(badChoices));
        Assert.Equal((1L, "choices"), (error.Line, error.Field));
    }

    [Fact]
    public void A_data_line_missing_a_prompt_field_names_file_line_and_field()
    {
        string folder = RepoPaths.NewTempFolder("llmops-eval-data");
        string data = Write(folder, "qa.jsonl", """
            {"question": "one", "answer": "1"}
            {"question": "two", "answer": "2"}
            {"query": "three", "answer": "3"}
            """);
        var records = EvalData.ReadRecords(data);
        Assert.Equal("Q: two {not a field} {", PromptTemplate.Render("Q: {question} {not a field} {", records[1]));

        var error = Assert.Throws<DataFormatException>(() => PromptTemplate.Render("Q: {question}", records[2]));

        Assert.Equal((data, 3L, "question"), (error.File, error.Line, error.Field));
        Assert.StartsWith($"{data}, line 3, field 'question': missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Few_shot_draws_are_seeded_distinct_and_never_the_item_itself()
    {
        var first = EvalRunner.FewShotIndices(count: 10, k: 3, seed: 5, "t");
        var again = EvalRunner.FewShotIndices(count: 10, k: 3, seed: 5, "t");
        var other = EvalRunner.FewShotIndices(count: 10, k: 3, seed: 6, "t");

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        for (int i = 0; i < first.Length; i++)
        {
            Assert.Equal(3, first[i].Distinct().Count());
            Assert.DoesNotContain(i, first[i]);
        }
        Assert.Throws<InvalidOperationException>(() => EvalRunner.FewShotIndices(count: 3, k: 3, seed: 1, "t"));
    }
}
