namespace LlmOps.Core.Display;

/// <summary>A host's output: the notebook kernel, the headless runner, or the console.</summary>
public interface IDisplaySink
{
    /// <summary>Shows <paramref name="value"/> and returns a handle that replaces it in place.</summary>
    IDisplayHandle Show(object value);
}
