using Leaderboard.Api.Ranking;

namespace Leaderboard.Core.Tests;

/// <summary>The integer encoding under the rank keys: byte order is numeric order, and no encoding starts another.</summary>
public sealed class OrderedIntegerTests
{
    public static TheoryData<long, byte[]> Encodings => new()
    {
        { 0, [0x80] },
        { 1, [0x81] },
        { -1, [0x7F] },
        { 119, [0xF7] },
        { -120, [0x08] },
        { 120, [0xF8, 0x00] },
        { 375, [0xF8, 0xFF] },
        { 376, [0xF9, 0x01, 0x00] },
        { 65_655, [0xF9, 0xFF, 0xFF] },
        { 65_656, [0xFA, 0x01, 0x00, 0x00] },
        { -121, [0x07, 0xFF] },
        { -376, [0x07, 0x00] },
        { -377, [0x06, 0xFE, 0xFF] },
        { -65_656, [0x06, 0x00, 0x00] },
        { -65_657, [0x05, 0xFE, 0xFF, 0xFF] },
        { long.MaxValue, [0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x87] },
        { long.MinValue, [0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78] },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void EachValueHasOneEncodingAndReadsBack(long value, byte[] expected)
    {
        var buffer = new byte[OrderedInteger.MaxLength + 2];
        var length = OrderedInteger.Write(value, buffer);

        Assert.Equal(expected, buffer[..length]);
        Assert.Equal(length, OrderedInteger.LengthAt(buffer));
        Assert.Equal(value, OrderedInteger.Read(buffer, out var read));
        Assert.Equal(length, read);
    }

    [Fact]
    public void ByteOrderIsNumericOrderEvenWithBytesAfter()
    {
        var random = new Random(20261130);
        var values = Encodings.Select(row => row.Data.Item1)
            .Concat(Enumerable.Range(0, 300).Select(_ => random.NextInt64(long.MinValue, long.MaxValue) >> random.Next(64)))
            .Distinct()
            .Order()
            .ToArray();

        // Whatever follows each encoding (another field, an id), the order stays the values' order.
        var encoded = values.Select(value => Encode(value).Concat(new byte[] { (byte)random.Next(256), (byte)random.Next(256) }).ToArray()).ToArray();
        for (var i = 1; i < encoded.Length; i++)
        {
            Assert.True(encoded[i - 1].AsSpan().SequenceCompareTo(encoded[i]) < 0, $"{values[i - 1]} does not sort before {values[i]}");
        }
    }

    [Fact]
    public void AMissingOrCutShortEncodingIsAFormatError()
    {
        Assert.Throws<FormatException>(() => OrderedInteger.LengthAt([]));
        Assert.Throws<FormatException>(() => OrderedInteger.LengthAt([0xF9, 0x01]));
        Assert.Throws<FormatException>(() => OrderedInteger.Read([0x06, 0xFE], out _));
        Assert.Equal(3, OrderedInteger.LengthAt([0xF9, 0x01, 0x00]));
    }

    private static byte[] Encode(long value)
    {
        var buffer = new byte[OrderedInteger.MaxLength];
        return buffer[..OrderedInteger.Write(value, buffer)];
    }
}
