using LlmOps.Core.Display;

namespace LlmOps.Core.Tests.Training;

/// <summary>Keeps every value shown or updated, in order.</summary>
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
