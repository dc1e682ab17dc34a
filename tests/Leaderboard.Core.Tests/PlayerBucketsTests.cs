using Leaderboard.Api.Ranking;

namespace Leaderboard.Core.Tests;

/// <summary>The player map's buckets: an even spread, a layout sized for a rebuild, and splits that move only the split bucket's players.</summary>
public sealed class PlayerBucketsTests
{
    [Theory]
    [InlineData("", unchecked((int)0xAB3E7C0B))]
    [InlineData("alice", unchecked((int)0xEA14D61E))]
    [InlineData("player-000000001", unchecked((int)0x13D3D7AB))]
    public void TheFieldIsAFixedHashOfTheId(string playerId, int expected) => Assert.Equal(expected, PlayerBuckets.Field(playerId));

    [Fact]
    public void FieldsSpreadPlayersEvenlyOverBuckets()
    {
        var counts = new int[256];
        for (var i = 0; i < 256 * PlayerBuckets.Load; i++)
        {
            counts[PlayerBuckets.Bucket(PlayerBuckets.Field($"player-{i:D9}"), 8, 0)]++;
        }

        // 48 expected per bucket; a fair spread stays well inside the listpack's 128.
        Assert.InRange(counts.Min(), 20, 48);
        Assert.InRange(counts.Max(), 48, 85);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 0, 0)]
    [InlineData(48, 0, 0)]
    [InlineData(49, 1, 0)]
    [InlineData(96, 1, 0)]
    [InlineData(97, 1, 1)]
    [InlineData(192, 2, 0)]
    [InlineData(1_000_000, 14, 4450)]
    public void ARebuildSizesTheBucketsForItsEntries(long entries, int level, long split) =>
        Assert.Equal((level, split), PlayerBuckets.ForCount(entries));

    [Theory]
    [InlineData(-1, 2, 0, 3)]
    [InlineData(-1, 2, 3, 3)]
    [InlineData(-1, 2, 4, 7)]
    [InlineData(4, 2, 0, 0)]
    [InlineData(4, 2, 1, 4)]
    [InlineData(5, 2, 1, 1)]
    [InlineData(5, 2, 2, 5)]
    [InlineData(int.MinValue, 0, 0, 0)]
    [InlineData(int.MinValue, 31, 1, 2_147_483_648L)]
    public void ABucketBelowTheSplitUsesOneMoreBit(int field, int level, long split, long bucket) =>
        Assert.Equal(bucket, PlayerBuckets.Bucket(field, level, split));

    [Fact]
    public void SplittingABucketMovesSomeOfItsPlayersToTheNewBucketAndNoneElse()
    {
        var fields = Enumerable.Range(0, 2000).Select(i => PlayerBuckets.Field($"p{i}")).ToArray();
        for (var split = 0L; split < 8; split++)
        {
            var moved = fields.Where(field => PlayerBuckets.Bucket(field, 3, split) != PlayerBuckets.Bucket(field, 3, split + 1)).ToArray();

            Assert.NotEmpty(moved);
            Assert.All(moved, field =>
            {
                Assert.Equal(split, PlayerBuckets.Bucket(field, 3, split));
                Assert.Equal(split + 8, PlayerBuckets.Bucket(field, 3, split + 1));
            });
        }

        // A full round of splits is the next level with none split.
        Assert.All(fields, field => Assert.Equal(PlayerBuckets.Bucket(field, 4, 0), PlayerBuckets.Bucket(field, 3, 8)));
    }
}
