namespace LlmOps.Core.Display;

/// <summary>One shown output that can be replaced in place (a live loss chart, a progress line).</summary>
public interface IDisplayHandle
{
    /// <summary>Replaces what this handle shows with <paramref name="value"/>.</summary>
    void Update(object value);
}
