using System.Buffers.Text;
using System.Text;
using Leaderboard.Api.Model;
using Leaderboard.Api.Ranking;

namespace Leaderboard.Core.Tests;

/// <summary>The opaque paging cursor: it round-trips for its own board and period, and nothing else decodes.</summary>
public sealed class PageCursorTests
{
    private static readonly IndexKeys Keys = new("weekly-race", "20261123T000000Z");
    private static readonly byte[] Prefix = RankKey.Encode(SortOrder.Descending, 1234, 0, 1234, string.Empty);
    private static readonly PagePosition Position = new(1234, 50, Prefix);
    private static readonly string PrefixText = Base64Url.EncodeToString(Prefix);

    [Fact]
    public void ACursorDecodesToThePositionItWasMadeFrom()
    {
        Assert.True(PageCursor.TryDecode(PageCursor.Encode(Keys, Position), Keys, out var decoded));
        Assert.Equal(Position, decoded);
        Assert.NotEqual(Position, decoded! with { LastPrefix = [.. Prefix[..^1], 0x81] });
        Assert.NotEqual(Position, decoded with { Snapshot = 1235 });
        Assert.NotEqual(Position, decoded with { LastRank = 51 });
    }

    [Theory]
    [InlineData("other-board", "20261123T000000Z")]
    [InlineData("weekly-race", "20261116T000000Z")]
    public void ACursorOfAnotherBoardOrPeriodIsRefused(string board, string period)
    {
        Assert.False(PageCursor.TryDecode(PageCursor.Encode(Keys, Position), new IndexKeys(board, period), out var decoded));
        Assert.Null(decoded);
    }

    public static TheoryData<string> Forgeries => new()
    {
        "not base64 at all!",
        Encode("weekly-race\n20261123T000000Z\n1234\n50"),
        Encode($"weekly-race\n20261123T000000Z\n4d2\n50\n{PrefixText}"),
        Encode($"weekly-race\n20261123T000000Z\n-1234\n50\n{PrefixText}"),
        Encode($"weekly-race\n20261123T000000Z\n1234\n-1\n{PrefixText}"),
        Encode($"weekly-race\n20261123T000000Z\n1234\nfifty\n{PrefixText}"),
        Encode($"weekly-race\n20261123T000000Z\n1234\n50\n{Base64Url.EncodeToString(Prefix[..^1])}"),
        Encode($"weekly-race\n20261123T000000Z\n1234\n50\n{Base64Url.EncodeToString([.. Prefix, 0x61])}"),
        Encode($"weekly-race\n20261123T000000Z\n1234\n50\n*not-base64*"),
        Encode($"weekly-race\n20261123T000000Z\n1234\n50\n{PrefixText}\nextra"),
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void AnythingButACursorThisServiceMadeIsRefused(string cursor)
    {
        Assert.False(PageCursor.TryDecode(cursor, Keys, out var decoded));
        Assert.Null(decoded);
    }

    private static string Encode(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
