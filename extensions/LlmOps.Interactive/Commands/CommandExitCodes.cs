namespace LlmOps.Interactive.Commands;

/// <summary>
/// The exit codes of every <c>llmops</c> verb, declared here because the verbs are the stages' commands:
/// 0 done; 1 (<see cref="BadInput"/>) what the command was pointed at is missing, malformed or inconsistent (a file, a
/// record, a config, a run id); 2 (<see cref="Usage"/>) the command line itself is wrong (an unknown option, a value
/// not among the choices, a missing argument); 3 (<see cref="CheckFailed"/>) the command ran and a check it was
/// asked to make failed (an evaluation metric regressed past its baseline's tolerance); 130 (<see cref="Cancelled"/>) stopped by Ctrl-C, as shells report it.
/// </summary>
public static class CommandExitCodes
{
    /// <summary>The input is wrong.</summary>
    public const int BadInput = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>A check failed: the work ran, and its result is below what was required (a CI gate).</summary>
    public const int CheckFailed = 3;

    /// <summary>Stopped on request.</summary>
    public const int Cancelled = 130;
}
