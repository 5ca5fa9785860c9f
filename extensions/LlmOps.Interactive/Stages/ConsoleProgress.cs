namespace LlmOps.Interactive.Stages;

/// <summary>What a console progress bar shows for a progress value.</summary>
/// <param name="Task">The bar's name (one bar per name).</param>
/// <param name="Value">Done so far.</param>
/// <param name="Total">The whole; 0 or less when unknown (the bar then shows activity, not a fraction).</param>
/// <param name="Description">What fits beside the bar: loss, speed, ETA.</param>
public sealed record ConsoleProgress(string Task, double Value, double Total, string Description);
