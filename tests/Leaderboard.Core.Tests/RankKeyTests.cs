using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;

namespace Leaderboard.Core.Tests;

/// <summary>
/// The sorted-set member encoding: byte order of members is the ranking order, so Redis ranks
/// exactly; and a member decodes back to its record.
/// </summary>
public sealed class RankKeyTests
{
    private static readonly long[] Values = [ScoreRange.Min, ScoreRange.Min + 1, -1_000_000_007, -2, -1, 0, 1, 2, 4_503_599_627_370_496, ScoreRange.Max - 1, ScoreRange.Max];

    [Theory]
    [InlineData(SortOrder.Descending)]
    [InlineData(SortOrder.Ascending)]
    public void EveryRecordDecodesBackToItsPlayerScoreAndSubscore(SortOrder order)
    {
        foreach (var score in Values)
        {
            foreach (var subscore in (long[])[ScoreRange.Min, -1, 0, 1, ScoreRange.Max])
            {
                var member = RankKey.Encode(order, Boards.Record(score, subscore, 12345, "player:42"));
                Assert.Equal(("player:42", score, subscore), RankKey.Decode(order, member));
            }
        }
    }

    [Theory]
    [InlineData(SortOrder.Descending)]
    [InlineData(SortOrder.Ascending)]
    public void OrdinalOrderOfMembersIsTheRankingOrder(SortOrder order)
    {
        var random = new Random(20261129);
        var records = Enumerable.Range(0, 400)
            .Select(i => Boards.Record(
                Values[random.Next(Values.Length)] / (random.Next(2) + 1),
                random.Next(-3, 4),
                random.Next(1, 50),
                $"p{i}"))
            .ToList();

        var byMembers = records.OrderBy(r => RankKey.Encode(order, r), StringComparer.Ordinal).ToList();

        // The ranking rule, stated on its own: score first, then subscore, both in the board's
        // direction, then the earlier change; the player id last only keeps the order total.
        var sign = order == SortOrder.Descending ? -1 : 1;
        var byRules = records
            .OrderBy(r => sign * r.Score)
            .ThenBy(r => sign * r.Subscore)
            .ThenBy(r => r.ChangeSeq)
            .ThenBy(r => r.PlayerId, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(byRules.Select(r => r.PlayerId), byMembers.Select(r => r.PlayerId));
    }

    [Fact]
    public void TheChangeSequenceSitsRightAfterTheScoresAndEndsThePrefix()
    {
        var member = RankKey.Encode(SortOrder.Descending, Boards.Record(7, 3, 0x1f, "alice"));

        Assert.Equal("000000000000001f", member.Substring(RankKey.SequenceStart - 1, RankKey.SequenceDigits));
        Assert.Equal("alice", member[RankKey.PrefixLength..]);
        Assert.Equal(RankKey.ScoreDigits * 2 + RankKey.SequenceDigits, RankKey.PrefixLength);
    }
}
