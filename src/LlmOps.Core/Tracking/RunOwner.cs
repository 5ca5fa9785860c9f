using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LlmOps.Core.Tracking;

/// <summary>The process that is running a run: its host, process id and the process's start time. The start time tells
/// a live owner from a later process that happens to reuse the id.</summary>
/// <param name="Host">The machine's name.</param>
/// <param name="ProcessId">The operating system's process id.</param>
/// <param name="ProcessStarted">When that process started (Unix milliseconds, UTC).</param>
sealed record RunOwner(string Host, int ProcessId, long ProcessStarted)
{
    /// <summary>This process.</summary>
    public static RunOwner Current { get; } = ForThisProcess();

    /// <summary>Whether the owner ran on this machine, where its process can be looked up.</summary>
    public bool IsThisHost => string.Equals(Host, Current.Host, StringComparison.Ordinal);

    /// <summary>Whether the owner is this very process.</summary>
    public bool IsThisProcess => this == Current;

    /// <summary>Whether the owner's process still runs. Another host's process cannot be looked up from here: it is taken
    /// as alive, and the store judges it by its heartbeat instead.</summary>
    public bool IsAlive()
    {
        if (!IsThisHost)
            return true;
        if (IsThisProcess)
            return true;
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            return !IsZombie(ProcessId) && Math.Abs(StartMilliseconds(process) - ProcessStarted) < 1000;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false; // no such process, or it exited while being looked at
        }
    }

    /// <summary>Adds <c>$host</c>, <c>$pid</c> and <c>$process_started</c> to <paramref name="command"/>.</summary>
    public void AddParameters(SqliteCommand command)
    {
        command.Parameters.AddWithValue("$host", Host);
        command.Parameters.AddWithValue("$pid", ProcessId);
        command.Parameters.AddWithValue("$process_started", ProcessStarted);
    }

    /// <summary>The owner in columns host, pid, process_started starting at <paramref name="first"/>; null for a run
    /// recorded before owners were (schema 1).</summary>
    public static RunOwner? Read(SqliteDataReader reader, int first) =>
        reader.IsDBNull(first) || reader.IsDBNull(first + 1) || reader.IsDBNull(first + 2) ? null
            : new RunOwner(reader.GetString(first), reader.GetInt32(first + 1), reader.GetInt64(first + 2));

    static RunOwner ForThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return new RunOwner(Environment.MachineName, Environment.ProcessId, StartMilliseconds(process));
    }

    static long StartMilliseconds(Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();

    /// <summary>A killed process stays in the table as a zombie until its parent reaps it, and looks alive to
    /// <see cref="Process.GetProcessById(int)"/>; Linux's <c>/proc/PID/stat</c> says which it is.</summary>
    static bool IsZombie(int pid)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            string stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true; // gone between the two looks
        }
    }
}
