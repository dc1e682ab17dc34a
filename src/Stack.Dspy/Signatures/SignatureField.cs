using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stack.Dspy.Signatures;

/// <summary>One typed field of a signature: its JSON name, what it means, and a JSON type hint for the model.</summary>
/// <param name="Name">The property's JSON name (camelCase), as the model reads and writes it.</param>
/// <param name="Description">What the field holds, from the property's <see cref="DescriptionAttribute"/>.</param>
/// <param name="TypeHint">The JSON shape of its value: <c>string</c>, <c>integer</c>, <c>array of string</c>, ...</param>
public sealed record SignatureField(string Name, string Description, string TypeHint)
{
    /// <summary>
    /// The fields of a record: every public instance property, each with a
    /// <c>[property: Description("...")]</c>. A field without one is refused, because the model
    /// would get a name and no meaning.
    /// </summary>
    public static IReadOnlyList<SignatureField> Of(Type record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var parameters = record.GetConstructors().SelectMany(c => c.GetParameters()).ToList();
        var fields = new List<SignatureField>();
        foreach (var property in record.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null || property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description
                ?? parameters.FirstOrDefault(p => p.Name == property.Name)?.GetCustomAttribute<DescriptionAttribute>()?.Description
                ?? throw new InvalidOperationException($"Field '{property.Name}' of {record.Name} has no description: give it [property: Description(\"...\")].");
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            fields.Add(new SignatureField(name, description, TypeHintOf(property.PropertyType)));
        }

        return fields.Count > 0 ? fields : throw new InvalidOperationException($"{record.Name} has no fields.");
    }

    private static string TypeHintOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "string";
        }

        if (type == typeof(bool))
        {
            return "boolean";
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short))
        {
            return "integer";
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "number";
        }

        var element = type.IsArray ? type.GetElementType() : type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
        return element is not null ? $"array of {TypeHintOf(element)}" : "object";
    }
}
