using LlmOps.Core.FineTuning;
using LlmOps.Interactive.Formatting;
using LlmOps.Interactive.Stages.Pretraining;

namespace LlmOps.Interactive.Stages.FineTuning;

/// <summary>Fine-tuning records as HTML cards: the stage's tables, with the training curves for a run and the
/// exact-match-vs-size chart for a comparison.</summary>
static class FineTuningHtml
{
    /// <summary>A run: what it trained, then the training summary and curves.</summary>
    public static string Result(SftResult result, RenderContext context) =>
        HtmlCard.Card(HtmlCard.Table(FineTuningStage.Summary(result)), TrainingHtml.Result(result.Training, context));

    /// <summary>An exact-match report: accuracy by task, and the first answers against the expected ones.</summary>
    public static string ExactMatch(ExactMatchReport report, RenderContext context) =>
        HtmlCard.Card(HtmlCard.Table(FineTuningStage.ByTask(report)), HtmlCard.Table(FineTuningStage.Answers(report, 10)));

    /// <summary>A comparison: its table and its chart.</summary>
    public static string Comparison(PeftComparison comparison, RenderContext context) =>
        HtmlCard.Card(HtmlCard.Table(FineTuningStage.Comparison(comparison)), ChartRenderer.Html(FineTuningCharts.Comparison(comparison).ToFigure(), context));
}
