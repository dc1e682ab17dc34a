using System.Text;
using System.Text.Json;
using Leaderboard.Api.Model;

namespace Leaderboard.Api.Http;

/// <summary>Collects validation errors by field, for <c>TypedResults.ValidationProblem</c>.</summary>
internal sealed class RequestValidation
{
    private readonly Dictionary<string, string[]> _errors = [];

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors;

    public void Fail(string field, string message) => _errors[field] = [message];

    /// <summary>Text that PostgreSQL can store (see <see cref="StorableText"/>); null is fine.</summary>
    public void Text(string field, string? value)
    {
        if (value is not null && !StorableText.IsStorable(value))
        {
            Fail(field, StorableText.Problem(field));
        }
    }

    public void Id(string field, string? value)
    {
        if (!Identifiers.IsValid(value))
        {
            Fail(field, $"{field} must be 1 to {Identifiers.MaxLength} characters of letters, digits, '_', '.', ':' or '-'.");
        }
    }

    /// <summary>An integer within ±(2^53 − 1) from raw JSON; <paramref name="fallback"/> when absent and optional.</summary>
    public long Integer(string field, JsonElement? element, long? fallback = null)
    {
        if (element is null or { ValueKind: JsonValueKind.Null } && fallback is { } value)
        {
            return value;
        }

        if (element is not { ValueKind: JsonValueKind.Number } number)
        {
            Fail(field, $"{field} is required and must be a JSON integer.");
        }
        else if (!number.TryGetInt64(out var parsed))
        {
            Fail(field, $"{field} must be an integer (no fraction or exponent).");
        }
        else if (!ScoreRange.Contains(parsed))
        {
            Fail(field, $"{field} must be between {ScoreRange.Min} and {ScoreRange.Max}.");
        }
        else
        {
            return parsed;
        }

        return 0;
    }

    /// <summary>A JSON object of at most <paramref name="maxBytes"/> bytes whose names and strings are storable text, or null.</summary>
    public JsonElement? Metadata(JsonElement? element, int maxBytes)
    {
        if (element is null or { ValueKind: JsonValueKind.Null })
        {
            return null;
        }

        if (element.Value.ValueKind != JsonValueKind.Object)
        {
            Fail("metadata", "metadata must be a JSON object.");
        }
        else if (!StorableText.IsStorable(element.Value))
        {
            // Checked before the size: measuring it decodes the text, which fails for invalid UTF-8.
            Fail("metadata", StorableText.Problem("metadata (its names and strings)"));
        }
        else if (Encoding.UTF8.GetByteCount(element.Value.GetRawText()) > maxBytes)
        {
            Fail("metadata", $"metadata must be at most {maxBytes} bytes of JSON.");
        }

        return element;
    }

    /// <summary>An optional query integer within [min, max].</summary>
    public int Bounded(string field, int? value, int fallback, int min, int max)
    {
        var result = value ?? fallback;
        if (result < min || result > max)
        {
            Fail(field, $"{field} must be between {min} and {max}.");
        }

        return result;
    }
}
