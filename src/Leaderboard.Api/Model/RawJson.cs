using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leaderboard.Api.Model;

/// <summary>
/// JSON as it is stored (PostgreSQL's jsonb, copied into the index): written into answers as it is,
/// without parsing it again for every entry of every read.
/// </summary>
[JsonConverter(typeof(Converter))]
public sealed class RawJson
{
    private readonly byte[] _utf8;

    private RawJson(byte[] utf8) => _utf8 = utf8;

    /// <summary>Wraps valid JSON (UTF-8) that came from storage.</summary>
    public static RawJson From(byte[] utf8) => new(utf8);

    public override string ToString() => Encoding.UTF8.GetString(_utf8);

    /// <summary>Writes the stored text through; reads any JSON value.</summary>
    internal sealed class Converter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new RawJson(Encoding.UTF8.GetBytes(document.RootElement.GetRawText()));
        }

        // Stored text came from jsonb, so it is valid JSON already.
        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value._utf8, skipInputValidation: true);
    }
}
