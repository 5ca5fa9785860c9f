using LlmOps.Interactive.Commands;

namespace LlmOps.Interactive.Stages;

/// <summary>
/// One lifecycle stage, declared once: its commands (each a magic command in every notebook host and, when it names a
/// <see cref="MagicCommand.Cli"/> path, an <c>llmops</c> verb with the same parameters) and its renderers (each result
/// type's text, HTML, console tables and progress). The kernel extension, the headless runner and the CLI all read
/// <see cref="StageRegistry"/>; adding a stage is a folder under Stages/ and one line there.
/// </summary>
/// <param name="Name">Short name, e.g. <c>data</c>.</param>
/// <param name="Description">One line: what the stage does.</param>
/// <param name="Commands">Its commands, in help order.</param>
/// <param name="Renderers">How its result and progress types display.</param>
public sealed record Stage(string Name, string Description, IReadOnlyList<MagicCommand> Commands, IReadOnlyList<Renderer> Renderers);
