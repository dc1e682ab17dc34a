using Stack.Policy;

namespace Stack.Cli.Output;

/// <summary>
/// The report for people: one aligned row per violation (policy, object, file:line, message),
/// problems on standard error as file:line: message, then one summary line. Plain text, no
/// colours, so it reads the same in a terminal, a CI log or a file.
/// </summary>
internal static class TableReportWriter
{
    private static readonly string[] Headers = ["POLICY", "OBJECT", "LOCATION", "MESSAGE"];

    public static void Write(TextWriter output, TextWriter errors, PolicyReport report)
    {
        foreach (var problem in report.Problems)
        {
            errors.WriteLine($"{problem.Location}: {problem.Message}");
        }

        var rows = report.Violations.Select(violation => Row(violation, ""))
            .Concat(report.Warnings.Select(warning => Row(warning, "warning: ")))
            .ToList();
        if (rows.Count > 0)
        {
            var widths = Enumerable.Range(0, Headers.Length - 1)
                .Select(column => rows.Append(Headers).Max(row => row[column].Length))
                .ToArray();
            foreach (var row in rows.Prepend(Headers))
            {
                output.WriteLine(string.Join("  ", row.Take(widths.Length).Select((cell, column) => cell.PadRight(widths[column]))) + "  " + row[^1]);
            }

            output.WriteLine();
        }

        output.WriteLine(Summary(report));
    }

    private static string[] Row(PolicyViolation violation, string prefix) =>
        [violation.Policy, violation.Object, violation.Location, prefix + violation.Message];

    private static string Summary(PolicyReport report)
    {
        var objects = report.ObjectsChecked == 1 ? "1 object checked" : $"{report.ObjectsChecked} objects checked";
        var parts = new List<string> { objects };
        parts.Add(report.Violations.Count switch { 0 => "no violations", 1 => "1 violation", var n => $"{n} violations" });
        if (report.Warnings.Count > 0)
        {
            parts.Add(report.Warnings.Count == 1 ? "1 warning" : $"{report.Warnings.Count} warnings");
        }

        if (report.Problems.Count > 0)
        {
            parts.Add(report.Problems.Count == 1 ? "1 input problem" : $"{report.Problems.Count} input problems");
        }

        return string.Join(", ", parts);
    }
}
