namespace LlmOps.Interactive.Engine.Execution;

/// <summary>
/// The members every cell sees without a <c>using</c>, mirroring what the kernel's C# cells get from
/// <c>using static Microsoft.DotNet.Interactive.Kernel</c>, so one notebook runs in both.
/// </summary>
public sealed class CellGlobals
{
    readonly ScriptSession session;

    internal CellGlobals(ScriptSession session) => this.session = session;

    /// <summary>Displays <paramref name="value"/> below the cell (formatted to HTML and text) and returns a handle
    /// whose <see cref="DisplayedValue.Update"/> replaces it. <paramref name="mimeTypes"/> restricts the forms kept.</summary>
#pragma warning disable CA1822, IDE1006 // lower-case and instance-bound to match the kernel's `display`
    public DisplayedValue display(object? value, params string[] mimeTypes) => session.CurrentCell.Display(value, mimeTypes);
#pragma warning restore CA1822, IDE1006

    /// <summary>Signalled when this cell is cancelled or times out; pass it to long-running calls.</summary>
    public CancellationToken CellCancellation => session.CurrentCell.CancellationToken;
}
