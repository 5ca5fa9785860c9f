using LlmOps.Interactive.Commands;
using LlmOps.Interactive.Formatting;

namespace LlmOps.Interactive.Engine.Execution;

/// <summary>Settings for a <see cref="ScriptSession"/>.</summary>
/// <param name="Commands">The magic command table (normally <see cref="CommandTable.CreateDefault"/>).</param>
/// <param name="WorkingDirectory">Where relative paths in cells (<c>#r "x.dll"</c>, <c>#i "nuget: ../feed"</c>) resolve: the notebook's folder.</param>
/// <param name="CellTimeout">How long one cell may run; null for no limit.</param>
/// <param name="RenderContext">Per-document rendering state (plotly.js once per document); a fresh one when null.</param>
/// <param name="PackageCache">Where <c>#r "nuget: ..."</c> restores are kept between runs; a folder under the user's
/// local application data when null.</param>
public sealed record ScriptSessionOptions(
    CommandTable Commands,
    string WorkingDirectory,
    TimeSpan? CellTimeout = null,
    RenderContext? RenderContext = null,
    string? PackageCache = null);
