using System.CommandLine;
using Stack.Cli;
using Stack.Cli.Commands;

// The command line a CI job or a person runs. Each command lives in Commands/, one file each.
var root = new RootCommand("Stack: check, promote and inspect what the GitOps platform deploys; compile the recap program.")
{
    new Command("policy", "Policy as code: the ValidatingAdmissionPolicies of infra/policies, evaluated offline.")
    {
        PolicyCheckCommand.Create(),
    },
    PromoteCommand.Create(),
    ImageCommand.Create(),
    new Command("stats", "The stats worker's recap program (see src/Leaderboard.Recaps).")
    {
        StatsCompileCommand.Create(),
    },
};

var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    // Unusable input, like any other: one clear line each, exit code 2.
    foreach (var error in parseResult.Errors)
    {
        Console.Error.WriteLine($"stack: {error.Message}");
    }

    return ExitCodes.UnusableInput;
}

return await parseResult.InvokeAsync();
