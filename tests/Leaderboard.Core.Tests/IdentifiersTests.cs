using Leaderboard.Api.Model;

namespace Leaderboard.Core.Tests;

/// <summary>What a board or player id may be, and the range scores live in.</summary>
public sealed class IdentifiersTests
{
    [Theory]
    [InlineData("alice", true)]
    [InlineData("A-z_0.9:x", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("slash/no", false)]
    [InlineData("ünïcode", false)]
    [InlineData("line\nbreak", false)]
    public void IdsAreLettersDigitsAndAFewMarks(string? id, bool valid) => Assert.Equal(valid, Identifiers.IsValid(id));

    [Fact]
    public void IdsAreAtMost128Characters()
    {
        Assert.True(Identifiers.IsValid(new string('a', Identifiers.MaxLength)));
        Assert.False(Identifiers.IsValid(new string('a', Identifiers.MaxLength + 1)));
        Assert.Equal(128, Identifiers.MaxLength);
    }

    [Theory]
    [InlineData(9_007_199_254_740_991, true)]
    [InlineData(-9_007_199_254_740_991, true)]
    [InlineData(9_007_199_254_740_992, false)]
    [InlineData(-9_007_199_254_740_992, false)]
    public void ScoresAreIntegersJavaScriptCanHoldExactly(long value, bool inRange) => Assert.Equal(inRange, ScoreRange.Contains(value));
}
