using System.Text.Json;

namespace Leaderboard.Api.Http;

/// <summary>
/// Text that PostgreSQL can store: well-formed UTF-16 (so valid UTF-8 once encoded) without NUL.
/// PostgreSQL refuses NUL in text and jsonb, and lone surrogates (escaped as <c>\ud800</c> in
/// JSON) have no UTF-8 form; both are refused at the edge, naming the field, instead of failing
/// in the database.
/// </summary>
internal static class StorableText
{
    /// <summary>What a client is told about a field that holds unstorable text.</summary>
    public static string Problem(string field) =>
        $"{field} must be valid UTF-8 text without NUL characters or unpaired surrogates.";

    /// <summary>Whether <paramref name="value"/> has no NUL and no unpaired surrogate.</summary>
    public static bool IsStorable(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether every property name and string inside <paramref name="element"/> is storable. A
    /// string whose bytes are not UTF-8, or whose escapes are not UTF-16, cannot even be decoded:
    /// that counts as unstorable too.
    /// </summary>
    public static bool IsStorable(JsonElement element)
    {
        try
        {
            return IsStorableOrThrow(element);
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json decodes a string lazily and throws here for invalid UTF-8 bytes or
            // surrogate escapes it cannot turn into UTF-16.
            return false;
        }
    }

    private static bool IsStorableOrThrow(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => IsStorable(element.GetString()),
        JsonValueKind.Object => element.EnumerateObject().All(property => IsStorable(property.Name) && IsStorableOrThrow(property.Value)),
        JsonValueKind.Array => element.EnumerateArray().All(IsStorableOrThrow),
        _ => true,
    };
}
