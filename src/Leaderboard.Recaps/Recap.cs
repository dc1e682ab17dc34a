using System.ComponentModel;

namespace Leaderboard.Recaps;

/// <summary>What the recap stage writes about a period: a headline and up to three highlights.</summary>
public sealed record Recap(
    [property: Description("One line for the page, at most 100 characters.")] string Headline,
    [property: Description("One to three sentences, each at most 160 characters; players written as @id.")] IReadOnlyList<string> Highlights)
{
    // A record compares lists by reference; recaps read back from JSON are equal by their values.
    public bool Equals(Recap? other) =>
        other is not null && Headline == other.Headline && Highlights.SequenceEqual(other.Highlights);

    public override int GetHashCode() => HashCode.Combine(Headline, Highlights.Count);
}
