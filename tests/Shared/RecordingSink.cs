using LlmOps.Core.Display;

namespace LlmOps.Tests;

/// <summary>The display hook sink tests use: keeps every value shown or updated, in order (thread-safe, since
/// progress can be reported from worker threads).</summary>
sealed class RecordingSink : IDisplaySink
{
    public List<object> Values { get; } = [];

    public int Shows { get; private set; }

    public IDisplayHandle Show(object value)
    {
        Shows++;
        lock (Values)
            Values.Add(value);
        return new Handle(this);
    }

    sealed class Handle(RecordingSink owner) : IDisplayHandle
    {
        public void Update(object value)
        {
            lock (owner.Values)
                owner.Values.Add(value);
        }
    }
}
