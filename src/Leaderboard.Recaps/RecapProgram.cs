using Stack.Dspy.Optimizers;

namespace Leaderboard.Recaps;

/// <summary>Where the recap program's committed files are: the compiled program, its dev set and recorded replies.</summary>
public static class RecapProgram
{
    public const string CompiledFile = "recap-program.json";
    public const string DevSetFile = "recap-devset.jsonl";
    public const string RepliesFile = "recap-replies.jsonl";

    /// <summary>The folder of the files in the repository, relative to its root (what `stack stats compile` rewrites).</summary>
    public static string SourceFolder { get; } = Path.Combine("src", "Leaderboard.Recaps");

    /// <summary>The compiled program shipped beside the running assembly.</summary>
    public static CompiledProgram<PeriodDigest, Recap> LoadShipped() =>
        CompiledProgram<PeriodDigest, Recap>.Load(Path.Combine(AppContext.BaseDirectory, CompiledFile));
}
