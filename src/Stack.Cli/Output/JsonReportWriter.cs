using System.Text.Json;
using Stack.Policy;

namespace Stack.Cli.Output;

/// <summary>The report for machines: the whole <see cref="PolicyReport"/> as camelCase JSON on standard output.</summary>
internal static class JsonReportWriter
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(TextWriter output, PolicyReport report) =>
        output.WriteLine(JsonSerializer.Serialize(report, Options));
}
