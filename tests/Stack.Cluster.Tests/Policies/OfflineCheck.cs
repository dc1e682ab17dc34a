using System.Text.Json.Nodes;
using Stack.Cluster.Tests.Kubernetes;

namespace Stack.Cluster.Tests.Policies;

/// <summary>
/// The verdicts of <c>stack policy check --format json</c>, the real built program run as CI runs
/// it, for every object of the files it was given.
/// </summary>
internal sealed class OfflineCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    private readonly JsonObject? _report;
    private readonly string _output;

    private OfflineCheck(int exitCode, JsonObject? report, string output)
    {
        ExitCode = exitCode;
        _report = report;
        _output = output;
    }

    public int ExitCode { get; }

    /// <summary>Runs the check over <paramref name="paths"/>, with the policies of <paramref name="policies"/> (default: the repository's).</summary>
    public static async Task<OfflineCheck> RunAsync(IEnumerable<string> paths, string? policies = null)
    {
        string[] arguments = [Repository.Cli, "policy", "check", "--format", "json", .. policies is null ? Array.Empty<string>() : ["--policies", policies], .. paths];
        var result = await CommandLine.RunAsync(Repository.Root, new Dictionary<string, string>(), Timeout, "dotnet", arguments);
        JsonObject? report = null;
        if (result.StandardOutput.TrimStart().StartsWith('{'))
        {
            report = JsonNode.Parse(result.StandardOutput)!.AsObject();
        }

        return new OfflineCheck(result.ExitCode, report, result.AllOutput.Trim());
    }

    /// <summary>
    /// The verdict on one object of <paramref name="file"/>. When the check could not run at all
    /// (exit code 2: the policies did not load, or the file could not be read) it judged nothing: refused.
    /// </summary>
    public Verdict VerdictOn(string file, KubeObject item)
    {
        if (_report is null)
        {
            return Verdict.Refused(_output);
        }

        var problems = Entries("problems").Where(problem => problem["source"].Text() == file).ToList();
        if (problems.Count > 0)
        {
            return Verdict.Refused(string.Join("; ", problems.Select(problem => problem["message"].Text())));
        }

        var denials = About("violations", file, item);
        return denials.Count > 0 ? Verdict.Denied(denials) : Verdict.Admitted(About("warnings", file, item));
    }

    private List<PolicyMessage> About(string list, string file, KubeObject item) =>
        [.. Entries(list)
            .Where(entry => entry["source"].Text() == file && entry["kind"].Text() == item.Kind && entry["name"].Text() == item.Name)
            .Select(entry => new PolicyMessage(entry["policy"].Text()!, entry["message"].Text()!))];

    private IEnumerable<JsonObject> Entries(string list) => (_report?[list] as JsonArray ?? []).OfType<JsonObject>();
}
