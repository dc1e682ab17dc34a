using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Leaderboard.Api.Http;

/// <summary>
/// The API's JSON, set once for every body it reads and writes: enums by their one name only (an
/// integer, a numeric string or a comma-joined list of names is a 400, never a rule nobody defined),
/// numbers as JSON numbers only (the web defaults would read "1" too), and a property given twice is
/// a 400 instead of silently keeping the last value (metadata objects included).
/// </summary>
public static class ApiJsonOptions
{
    public static IServiceCollection AddApiJsonOptions(this IServiceCollection services) => services.ConfigureHttpJsonOptions(options =>
    {
        options.SerializerOptions.AllowDuplicateProperties = false;
        options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        options.SerializerOptions.Converters.Add(new NameOnlyEnumConverterFactory());
    });

    /// <summary>
    /// Enums as the names in their <see cref="JsonStringEnumMemberNameAttribute"/> (else camelCase),
    /// matched exactly. <see cref="JsonStringEnumConverter"/> with integers off still reads
    /// <c>"best, set"</c> as a combination of flags, which is no rule at all.
    /// </summary>
    private sealed class NameOnlyEnumConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            (JsonConverter)Activator.CreateInstance(typeof(NameOnlyEnumConverter<>).MakeGenericType(typeToConvert))!;
    }

    private sealed class NameOnlyEnumConverter<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        private static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().ToDictionary(
            value => value,
            value => typeof(TEnum).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? JsonNamingPolicy.CamelCase.ConvertName(value.ToString()));

        private static readonly Dictionary<string, TEnum> Values = Names.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && reader.GetString() is { } name && Values.TryGetValue(name, out var value)
                ? value
                : throw new JsonException($"Expected one of: {string.Join(", ", Values.Keys)}.");

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Names.TryGetValue(value, out var name) ? name : throw new JsonException($"{typeof(TEnum).Name} {value} has no name."));
    }
}
