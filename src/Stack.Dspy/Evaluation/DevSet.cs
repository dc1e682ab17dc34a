using System.Text.Json;

namespace Stack.Dspy.Evaluation;

/// <summary>
/// A dev set as JSON Lines, one example per line: <c>{"input": {...}, "output": {...}, "split": "train"}</c>
/// (<c>output</c> and <c>split</c> optional). Blank lines and lines starting with <c>//</c> are skipped.
/// </summary>
public static class DevSet
{
    public static IReadOnlyList<Example<TIn, TOut>> Load<TIn, TOut>(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse<TIn, TOut>(File.ReadAllLines(path), path);
    }

    public static IReadOnlyList<Example<TIn, TOut>> Parse<TIn, TOut>(IEnumerable<string> lines, string source = "dev set")
    {
        ArgumentNullException.ThrowIfNull(lines);
        var examples = new List<Example<TIn, TOut>>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                var example = JsonSerializer.Deserialize<Example<TIn, TOut>>(line, Modules.StructuredOutput.Options)
                    ?? throw new JsonException("the line is null");
                if (example.Split is not (Example.Train or Example.Dev))
                {
                    throw new JsonException($"split must be '{Example.Train}' or '{Example.Dev}', not '{example.Split}'");
                }

                examples.Add(example);
            }
            catch (JsonException exception)
            {
                throw new FormatException($"{source}, line {number}: {exception.Message}", exception);
            }
        }

        return examples;
    }

    /// <summary>Writes <paramref name="examples"/> as JSON Lines.</summary>
    public static void Save<TIn, TOut>(string path, IEnumerable<Example<TIn, TOut>> examples) =>
        File.WriteAllLines(path, examples.Select(example => JsonSerializer.Serialize(example, Modules.StructuredOutput.Options)));
}
