using System.Buffers.Text;
using System.Text;
using Leaderboard.Api.Ranking;

namespace Leaderboard.Core.Tests;

/// <summary>The opaque paging cursor: it round-trips for its own board and period, and nothing else decodes.</summary>
public sealed class PageCursorTests
{
    private static readonly IndexKeys Keys = new("weekly-race", "20261123T000000Z");
    private static readonly PagePosition Position = new("00000000000004d2", 50, new string('a', RankKey.PrefixLength));

    [Fact]
    public void ACursorDecodesToThePositionItWasMadeFrom()
    {
        Assert.True(PageCursor.TryDecode(PageCursor.Encode(Keys, Position), Keys, out var decoded));
        Assert.Equal(Position, decoded);
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
        Encode("weekly-race\n20261123T000000Z\n00000000000004d2\n50"),
        Encode($"weekly-race\n20261123T000000Z\n4d2\n50\n{new string('a', RankKey.PrefixLength)}"),
        Encode($"weekly-race\n20261123T000000Z\n00000000000004d2\n-1\n{new string('a', RankKey.PrefixLength)}"),
        Encode($"weekly-race\n20261123T000000Z\n00000000000004d2\nfifty\n{new string('a', RankKey.PrefixLength)}"),
        Encode($"weekly-race\n20261123T000000Z\n00000000000004d2\n50\n{new string('a', RankKey.PrefixLength - 1)}"),
        Encode($"weekly-race\n20261123T000000Z\n00000000000004d2\n50\n{new string('a', RankKey.PrefixLength)}\nextra"),
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
