namespace Leaderboard.Recaps.Tests;

public sealed class RecapFaithfulnessTests
{
    private static readonly RecapFaithfulness Metric = new();

    [Fact]
    public void ARecapOfOnlyTheDigestsNumbersAndPlayersPasses()
    {
        var verdict = Metric.Judge(Digests.Arena, Digests.Faithful);

        Assert.True(verdict.Passed, string.Join(" ", verdict.Failures));
        Assert.Equal(1.0, verdict.Score);
    }

    [Theory]
    [InlineData("1502.9")] // the mean rounded to the decimals written
    [InlineData("1,503")]
    [InlineData("1503")]
    [InlineData("1502.94")]
    [InlineData("122.0")]
    [InlineData("3,310")]
    public void ANumberOfTheDigestPassesAsWrittenOrRounded(string written)
    {
        Assert.True(Metric.Judge(Digests.Arena, new Recap("@vex leads", [$"The figure is {written}."])).Passed, written);
    }

    [Theory]
    [InlineData("1502.8")]
    [InlineData("1,502")]
    [InlineData("About 9000 players.")]
    [InlineData("Top 10 players.")]
    [InlineData("-3310")]
    public void AnInventedNumberFailsAndIsNamed(string highlight)
    {
        var verdict = Metric.Judge(Digests.Arena, new Recap("@vex leads", [highlight]));

        Assert.False(verdict.Passed);
        var failure = Assert.Single(verdict.Failures);
        Assert.StartsWith("Numbers not in the statistics:", failure, StringComparison.Ordinal);
        Assert.Equal(5.0 / 6, verdict.Score, 9);
    }

    [Fact]
    public void DigitsInsideIdsAndWordsAreNotNumbers()
    {
        var digest = Digests.Arena with { Climbers = [new Climber("owl_7", 88)] };
        var recap = new Recap("@owl_7 shines in season-2", ["Its p90 is 2405; the 3rd place is close."]);

        Assert.True(Metric.Judge(digest, recap).Passed, string.Join(" ", Metric.Judge(digest, recap).Failures));
    }

    [Fact]
    public void APlayerNotInTheDigestFailsAndIsNamed()
    {
        var verdict = Metric.Judge(Digests.Arena, new Recap("@vex leads", ["@ash and @sage climbed."]));

        Assert.Equal(["Players not in the statistics: sage."], verdict.Failures);
    }

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("   ", 1, 1)]
    [InlineData("x", 0, 1)]
    [InlineData("x", 4, 1)]
    public void AMissingHeadlineOrAWrongNumberOfHighlightsFails(string headline, int highlights, int failures)
    {
        var verdict = Metric.Judge(Digests.Arena, new Recap(headline, [.. Enumerable.Repeat("@vex leads.", highlights)]));

        Assert.Equal(failures, verdict.Failures.Count);
    }

    [Fact]
    public void LengthBoundsAreInclusive()
    {
        var longest = new Recap(new string('h', RecapFaithfulness.MaxHeadline), [new string('s', RecapFaithfulness.MaxHighlight)]);
        Assert.True(Metric.Judge(Digests.Arena, longest).Passed);

        var tooLong = new Recap(new string('h', RecapFaithfulness.MaxHeadline + 1), [new string('s', RecapFaithfulness.MaxHighlight + 1)]);
        Assert.Equal(2, Metric.Judge(Digests.Arena, tooLong).Failures.Count);
        Assert.Equal(4.0 / 6, Metric.Judge(Digests.Arena, tooLong).Score, 9);
    }
}
