namespace LlmOps.Interactive.Engine.Execution;

/// <summary>What <c>display(value)</c> returns in a cell, as in the .NET Interactive kernel: call
/// <see cref="Update"/> to replace that output in place (a live chart, a progress bar).</summary>
public sealed class DisplayedValue
{
    readonly Action<object?> update;

    internal DisplayedValue(string displayId, Action<object?> update)
    {
        DisplayId = displayId;
        this.update = update;
    }

    /// <summary>The output's id within its notebook.</summary>
    public string DisplayId { get; }

    /// <summary>Replaces what this output shows with <paramref name="updatedValue"/>.</summary>
    public void Update(object? updatedValue) => update(updatedValue);
}
