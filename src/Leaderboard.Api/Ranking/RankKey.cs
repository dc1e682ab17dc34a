using System.Buffers.Binary;
using System.Text;
using Leaderboard.Api.Model;

namespace Leaderboard.Api.Ranking;

/// <summary>
/// Encodes a record as a sorted-set member whose byte order is the ranking order, so Redis ranks
/// exactly at any size. A double score (Redis' own) holds only one 53-bit integer; we need score,
/// subscore and submission order, so every member gets score 0 and Redis orders equal scores by
/// member bytes. Layout: the <em>prefix</em> (score, then subscore, each turned so that the better
/// value is the smaller number, then the change sequence, earlier first), each as an
/// <see cref="OrderedInteger"/>, then the player id. The prefix is unique per record (the change
/// sequence is) and a few bytes long for everyday values: 9 bytes for a score below 10 million,
/// subscore 0 and a sequence below 16 million.
/// </summary>
internal static class RankKey
{
    /// <summary>The longest prefix: three integers of at most 8 bytes each.</summary>
    public const int MaxPrefixLength = 3 * OrderedInteger.MaxLength;

    public static byte[] Encode(SortOrder order, ScoreRecord record) =>
        Encode(order, record.Score, record.Subscore, record.ChangeSeq, record.PlayerId);

    public static byte[] Encode(SortOrder order, long score, long subscore, long changeSeq, string playerId)
    {
        Span<byte> prefix = stackalloc byte[MaxPrefixLength];
        var length = WritePrefix(order, score, subscore, changeSeq, prefix);
        var member = new byte[length + Encoding.ASCII.GetByteCount(playerId)];
        prefix[..length].CopyTo(member);
        Encoding.ASCII.GetBytes(playerId, member.AsSpan(length));
        return member;
    }

    /// <summary>Writes the prefix of a record into <paramref name="destination"/>; returns its length.</summary>
    public static int WritePrefix(SortOrder order, long score, long subscore, long changeSeq, Span<byte> destination)
    {
        var length = OrderedInteger.Write(Ranked(order, score), destination);
        length += OrderedInteger.Write(Ranked(order, subscore), destination[length..]);
        return length + OrderedInteger.Write(changeSeq, destination[length..]);
    }

    /// <summary>How many bytes of <paramref name="member"/> its prefix takes.</summary>
    /// <exception cref="FormatException">The bytes do not start with a prefix.</exception>
    public static int PrefixLength(ReadOnlySpan<byte> member)
    {
        var length = 0;
        for (var field = 0; field < 3; field++)
        {
            length += OrderedInteger.LengthAt(member[length..]);
        }

        return length;
    }

    /// <summary>The change sequence a member carries.</summary>
    public static long ChangeSequence(ReadOnlySpan<byte> member)
    {
        var at = OrderedInteger.LengthAt(member);
        at += OrderedInteger.LengthAt(member[at..]);
        return OrderedInteger.Read(member[at..], out _);
    }

    public static (string PlayerId, long Score, long Subscore) Decode(SortOrder order, ReadOnlySpan<byte> member)
    {
        var score = Ranked(order, OrderedInteger.Read(member, out var at));
        var subscore = Ranked(order, OrderedInteger.Read(member[at..], out var length));
        at += length;
        OrderedInteger.Read(member[at..], out length);
        return (Encoding.ASCII.GetString(member[(at + length)..]), score, subscore);
    }

    // Descending boards negate, so the best value is still the smallest; negation is its own inverse.
    private static long Ranked(SortOrder order, long value) => order == SortOrder.Descending ? -value : value;
}

/// <summary>
/// A prefix-free, order-preserving encoding of integers: the byte order of encodings is the numeric
/// order, and no encoding is the start of another, so encodings can be concatenated and still
/// compare field by field. Values -120..119 take one byte; larger ones a length byte and the fewest
/// big-endian bytes that hold them.
/// </summary>
internal static class OrderedInteger
{
    public const int MaxLength = 9;

    /// <summary>One byte holds -120..119 as the value plus 0x80: 0x08..0xF7.</summary>
    private const int SmallMin = -120;
    private const int SmallMax = 119;
    private const int SmallBias = 0x80;

    /// <summary>0xF8..0xFF: a value above 119, in 1..8 following bytes (value − 120).</summary>
    private const int PositiveBase = 0xF7;

    /// <summary>0x00..0x07: a value below −120, in 8..1 following bytes (complemented, so more negative sorts first).</summary>
    private const int NegativeBase = 0x08;

    /// <summary>Writes <paramref name="value"/>; returns how many bytes it took.</summary>
    public static int Write(long value, Span<byte> destination)
    {
        if (value is >= SmallMin and <= SmallMax)
        {
            destination[0] = (byte)(value + SmallBias);
            return 1;
        }

        // Magnitudes past the small range start at 0 in both directions; unsigned, so long's edges fit.
        var magnitude = value > SmallMax ? (ulong)(value - SmallMax - 1) : (ulong)(SmallMin - 1 - value);
        var length = ByteCount(magnitude);
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        if (value > SmallMax)
        {
            destination[0] = (byte)(PositiveBase + length);
        }
        else
        {
            destination[0] = (byte)(NegativeBase - length);
            magnitude = ~magnitude;
        }

        BinaryPrimitives.WriteUInt64BigEndian(bytes, magnitude);
        bytes[(sizeof(ulong) - length)..].CopyTo(destination[1..]);
        return 1 + length;
    }

    /// <summary>The length of the encoding at the start of <paramref name="source"/>, from its first byte.</summary>
    /// <exception cref="FormatException"><paramref name="source"/> is empty or too short for its first byte.</exception>
    public static int LengthAt(ReadOnlySpan<byte> source)
    {
        if (source.IsEmpty)
        {
            throw new FormatException("An ordered integer is missing.");
        }

        var first = source[0];
        var length = first < NegativeBase ? 1 + NegativeBase - first
            : first > PositiveBase ? 1 + first - PositiveBase
            : 1;
        return length <= source.Length ? length : throw new FormatException("An ordered integer is cut short.");
    }

    /// <summary>Reads the encoding at the start of <paramref name="source"/>; <paramref name="length"/> is how many bytes it took.</summary>
    public static long Read(ReadOnlySpan<byte> source, out int length)
    {
        length = LengthAt(source);
        var first = source[0];
        if (length == 1)
        {
            return first - SmallBias;
        }

        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        bytes.Fill(first > PositiveBase ? (byte)0 : (byte)0xFF);
        source[1..length].CopyTo(bytes[(sizeof(ulong) - (length - 1))..]);
        var magnitude = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        return first > PositiveBase ? (long)magnitude + SmallMax + 1 : SmallMin - 1 - (long)~magnitude;
    }

    private static int ByteCount(ulong magnitude)
    {
        var length = 1;
        while (length < sizeof(ulong) && magnitude >> (8 * length) != 0)
        {
            length++;
        }

        return length;
    }
}
