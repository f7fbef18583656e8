namespace OnePixel.Cli;

/// <summary>The exit codes: a public contract that CI scripts depend on.</summary>
public static class ExitCodes
{
    /// <summary>The gate holds (the success rate is at most the allowed maximum).</summary>
    public const int GateHolds = 0;

    /// <summary>The gate fails: the model is too easy to fool (or, for compare, it regressed).</summary>
    public const int GateFails = 1;

    /// <summary>Bad input or usage: the message names the option or file.</summary>
    public const int BadInput = 2;

    /// <summary>
    /// Interrupted (Ctrl+C, SIGINT; 128 + 2, as shells report it): the summary of the images attacked so
    /// far was printed, and no report or baseline file was written.
    /// </summary>
    public const int Interrupted = 130;
}
