namespace Stack.Cluster.Tests;

/// <summary>Assertions over lists of findings: the count, and every finding on its own line.</summary>
internal static class Findings
{
    /// <summary>Fails when there is any finding, listing them all (and, when given, the context a reader needs).</summary>
    public static void None(IReadOnlyCollection<string> findings, string what, string? context = null)
    {
        if (findings.Count > 0)
        {
            Assert.Fail($"{findings.Count} {what}:\n- {string.Join("\n- ", findings)}" + (context is null ? "" : $"\n\nSync order:\n{context}"));
        }
    }
}
