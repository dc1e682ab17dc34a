using System.CommandLine;
using Stack.Cli.Output;
using Stack.GitOps;
using Stack.Policy;

namespace Stack.Cli.Commands;

/// <summary>
/// <c>stack policy check &lt;paths&gt;...</c>: judges manifests (files, folders, kustomizations,
/// <c>-</c> for standard input) with the repository's policies, as the API server would admit them.
/// </summary>
internal static class PolicyCheckCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Files, folders (read recursively; a folder with a kustomization.yaml is rendered by `kubectl kustomize`) or - for standard input.",
            Arity = ArgumentArity.OneOrMore,
        };
        var policies = new Option<string?>("--policies")
        {
            Description = $"The folder of policies to apply (default: {PolicySet.DefaultRepositoryPath} of the repository).",
        };
        var format = new Option<string>("--format")
        {
            Description = "table (for people) or json (for machines).",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");

        var command = new Command("check", "Check Kubernetes manifests against the policies; exit 1 on a violation, 2 on unusable input.")
        {
            paths,
            policies,
            format,
        };
        command.SetAction(parseResult => Run(parseResult.GetValue(paths)!, parseResult.GetValue(policies), parseResult.GetValue(format) == "json"));
        return command;
    }

    private static int Run(string[] paths, string? policiesDirectory, bool json)
    {
        policiesDirectory ??= RepositoryRoot.Find(Environment.CurrentDirectory) is { } root
            ? Path.Combine(root, PolicySet.DefaultRepositoryPath)
            : null;
        if (policiesDirectory is null)
        {
            return Fail($"no policies: not inside the repository (no Stack.sln or .git above {Environment.CurrentDirectory}); pass --policies <dir>");
        }

        PolicySet policies;
        try
        {
            policies = PolicySet.Load(policiesDirectory);
        }
        catch (PolicyLoadException exception)
        {
            return Fail(exception.Message);
        }

        var manifests = paths.Aggregate(ManifestSet.Empty, (set, path) => set.Concat(path == "-"
            ? ManifestLoader.Parse(Console.In.ReadToEnd(), ManifestLoader.StandardInputName)
            : ManifestLoader.Load(path)));
        var report = policies.Check(manifests);

        if (json)
        {
            JsonReportWriter.Write(Console.Out, report);
        }
        else
        {
            TableReportWriter.Write(Console.Out, Console.Error, report);
        }

        return report.Problems.Count > 0 ? ExitCodes.UnusableInput
            : report.Violations.Count > 0 ? ExitCodes.Violations
            : ExitCodes.Clean;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"stack: {message}");
        return ExitCodes.UnusableInput;
    }
}
