using System.Text;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;

namespace Leaderboard.Core.Tests;

/// <summary>
/// The sorted-set member encoding: byte order of members is the ranking order, so Redis ranks
/// exactly; and a member decodes back to its record.
/// </summary>
public sealed class RankKeyTests
{
    private static readonly long[] Values = [ScoreRange.Min, ScoreRange.Min + 1, -1_000_000_007, -377, -376, -121, -120, -2, -1, 0, 1, 2, 119, 120, 375, 376, 4_503_599_627_370_496, ScoreRange.Max - 1, ScoreRange.Max];

    /// <summary>How Redis orders members of equal score: byte by byte, then the shorter first.</summary>
    internal static readonly Comparer<byte[]> RedisOrder = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));

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
                Assert.Equal(12345, RankKey.ChangeSequence(member));
            }
        }
    }

    [Theory]
    [InlineData(SortOrder.Descending)]
    [InlineData(SortOrder.Ascending)]
    public void ByteOrderOfMembersIsTheRankingOrder(SortOrder order)
    {
        var random = new Random(20261129);
        var records = Enumerable.Range(0, 400)
            .Select(i => Boards.Record(
                Values[random.Next(Values.Length)] / (random.Next(2) + 1),
                random.Next(-3, 4),
                random.Next(1, 50) * (random.Next(2) == 0 ? 1 : 1_000_003),
                $"p{i}"))
            .Append(Boards.Record(5, 0, 7, "bob"))
            .Append(Boards.Record(5, 0, 7, "bobby"))
            .ToList();

        var byMembers = records.OrderBy(r => RankKey.Encode(order, r), RedisOrder).ToList();

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
    public void ThePrefixIsScoreSubscoreAndChangeSequenceAndThePlayerIdFollowsIt()
    {
        var member = RankKey.Encode(SortOrder.Descending, Boards.Record(7, 3, 0x1f, "alice"));

        // Descending boards store -7 and -3: one byte each (value + 0x80), as is the sequence 31.
        Assert.Equal(new byte[] { 0x80 - 7, 0x80 - 3, 0x80 + 0x1f }, member[..3]);
        Assert.Equal(3, RankKey.PrefixLength(member));
        Assert.Equal("alice", Encoding.ASCII.GetString(member[RankKey.PrefixLength(member)..]));
        Assert.Equal(0x1f, RankKey.ChangeSequence(member));
    }

    [Fact]
    public void APrefixWritesAloneAsItStartsAMember()
    {
        Span<byte> prefix = stackalloc byte[RankKey.MaxPrefixLength];
        var length = RankKey.WritePrefix(SortOrder.Ascending, ScoreRange.Min, ScoreRange.Max, long.MaxValue, prefix);
        var member = RankKey.Encode(SortOrder.Ascending, ScoreRange.Min, ScoreRange.Max, long.MaxValue, "x");

        Assert.Equal(member[..^1], prefix[..length].ToArray());
        Assert.Equal(length, RankKey.PrefixLength(member));
        Assert.Equal(RankKey.MaxPrefixLength, 3 * OrderedInteger.MaxLength);
    }

    [Fact]
    public void EverydayValuesMakeAShortPrefix()
    {
        // A score under 10 million, subscore 0, the sixteen-millionth change: 4 + 1 + 4 bytes.
        var member = RankKey.Encode(SortOrder.Descending, Boards.Record(9_999_999, 0, 16_000_000, "p"));

        Assert.Equal(9, RankKey.PrefixLength(member));
    }

    [Fact]
    public void BytesThatAreNotAPrefixAreRefused()
    {
        Assert.Throws<FormatException>(() => RankKey.PrefixLength([]));
        Assert.Throws<FormatException>(() => RankKey.PrefixLength([0x80, 0x80]));
        Assert.Throws<FormatException>(() => RankKey.PrefixLength([0x80, 0x80, 0xF9, 0x01]));
    }
}
