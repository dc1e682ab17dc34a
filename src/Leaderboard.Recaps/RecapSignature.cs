using Stack.Dspy.Signatures;

namespace Leaderboard.Recaps;

/// <summary>The recap stage's signature: its instructions are data, replaced by a compiled program's.</summary>
public static class RecapSignature
{
    public static Signature<PeriodDigest, Recap> Default { get; } = new(
        "You write the recap of a leaderboard period for players reading the live page. " +
        "Use only numbers and players that appear in the statistics; never estimate or invent one. " +
        "Write every player as @ followed by their id. Give a headline and one to three highlights.");
}
