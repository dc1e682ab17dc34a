using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Stack.Policy.Yaml;

/// <summary>
/// Reads a YAML stream into the plain values the Cel package evaluates: maps as
/// <c>Dictionary&lt;string, object?&gt;</c> (it selects fields only on that exact type), sequences as
/// <c>List&lt;object?&gt;</c>, and plain scalars resolved by the YAML core schema (integers as long,
/// because CEL's int is 64-bit; floats as double; booleans; null). Quoted scalars stay strings.
/// </summary>
internal static partial class PlainYamlReader
{
    /// <summary>
    /// The documents of <paramref name="reader"/>, in order. A syntax error ends the stream: the
    /// documents before it are kept, and the error comes back with its line.
    /// </summary>
    public static (IReadOnlyList<PlainYamlDocument> Documents, YamlError? Error) Read(TextReader reader)
    {
        var documents = new List<PlainYamlDocument>();
        var parser = new Parser(reader);
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                var start = parser.Consume<DocumentStart>();
                var anchors = new Dictionary<string, object?>(StringComparer.Ordinal);
                var line = parser.Accept<DocumentEnd>(out _) ? LineOf(start.Start) : LineOf(parser.Current!.Start);
                var root = parser.Accept<DocumentEnd>(out _) ? null : ReadNode(parser, anchors);
                parser.Consume<DocumentEnd>();
                documents.Add(new PlainYamlDocument(line, root));
            }

            return (documents, null);
        }
        catch (YamlException exception)
        {
            return (documents, new YamlError(LineOf(exception.Start), exception.Message.Split('\n')[0].Trim()));
        }
        catch (InvalidOperationException exception)
        {
            // YamlDotNet's scanner throws this on some truncated input: still bad YAML, found after the last event it read.
            return (documents, new YamlError(LineOf(parser.Current?.End ?? Mark.Empty), $"the YAML ends unexpectedly after this line (an unclosed bracket or quote?): {exception.Message}"));
        }
    }

    private static object? ReadNode(IParser parser, Dictionary<string, object?> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            return anchors.TryGetValue(alias.Value.Value, out var value)
                ? value
                : throw new YamlException(alias.Start, alias.End, $"unknown alias '*{alias.Value}'");
        }

        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return Remember(anchors, scalar.Anchor, Resolve(scalar));
        }

        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var list = new List<object?>();
            Remember(anchors, sequenceStart.Anchor, list);
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                list.Add(ReadNode(parser, anchors));
            }

            return list;
        }

        var mappingStart = parser.Consume<MappingStart>();
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        Remember(anchors, mappingStart.Anchor, map);
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var keyStart = parser.Current!.Start;
            var key = ReadNode(parser, anchors);
            var keyText = key switch
            {
                string text => text,
                bool flag => flag ? "true" : "false",
                IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
                null => "null",
                _ => throw new YamlException(keyStart, keyStart, "a mapping key must be a scalar"),
            };

            // Kubernetes rejects duplicate keys; silently keeping the last one could hide a setting from the rules.
            if (!map.TryAdd(keyText, ReadNode(parser, anchors)))
            {
                throw new YamlException(keyStart, keyStart, $"duplicate key '{keyText}'");
            }
        }

        return map;
    }

    private static object? Remember(Dictionary<string, object?> anchors, AnchorName anchor, object? value)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = value;
        }

        return value;
    }

    private static object? Resolve(Scalar scalar)
    {
        var text = scalar.Value;
        if (!scalar.Tag.IsEmpty)
        {
            return scalar.Tag.Value switch
            {
                "tag:yaml.org,2002:str" => text,
                "tag:yaml.org,2002:null" => null,
                _ => ResolvePlain(text),
            };
        }

        return scalar.Style is ScalarStyle.Plain ? ResolvePlain(text) : text;
    }

    /// <summary>The YAML 1.2 core schema, the way Kubernetes' YAML reader sees plain scalars.</summary>
    private static object? ResolvePlain(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }

        if (DecimalInteger().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return hex;
        }

        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(c => c is >= '0' and <= '7'))
        {
            return Convert.ToInt64(text[2..], 8);
        }

        if (FloatingPoint().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return text;
    }

    // YamlDotNet counts lines from 1 already.
    private static int LineOf(Mark mark) => (int)mark.Line;

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatingPoint();
}
