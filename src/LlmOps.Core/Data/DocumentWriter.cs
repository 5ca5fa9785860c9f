using System.Text.Json;
using LlmOps.Core.IO;

namespace LlmOps.Core.Data;

/// <summary>Writes documents as JSON Lines (<c>{"id", "text", "source", ...metadata}</c>), the format
/// <see cref="DocumentReader.ReadJsonl"/> reads back, atomically: a crash never leaves half a corpus.</summary>
public static class DocumentWriter
{
    /// <summary>Writes <paramref name="documents"/> to <paramref name="path"/>; returns how many were written.</summary>
    public static long WriteJsonl(string path, IEnumerable<Document> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        long count = 0;
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream);
            foreach (var document in documents)
            {
                json.Reset(stream);
                json.WriteStartObject();
                json.WriteString("id", document.Id);
                json.WriteString("text", document.Text);
                json.WriteString("source", document.Source);
                foreach (var (key, value) in document.Metadata)
                    if (key is not ("id" or "text" or "source"))
                        json.WriteString(key, value);
                json.WriteEndObject();
                json.Flush();
                stream.WriteByte((byte)'\n');
                count++;
            }
        });
        return count;
    }
}
