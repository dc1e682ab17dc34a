using System.CommandLine;
using Leaderboard.Recaps;
using Microsoft.Extensions.AI;
using Stack.Dspy.Evaluation;
using Stack.Dspy.Models;
using Stack.GitOps;

namespace Stack.Cli.Commands;

/// <summary>
/// <c>stack stats compile</c> compiles the recap stage of the stats worker: the plain module is
/// scored on the dev split, BootstrapFewShot keeps the teacher's answers that pass the metric as
/// demonstrations, the compiled module is scored again, and the program is written as JSON to commit.
/// The model is the recap model's connection string; <c>--replay</c> plays recorded replies instead,
/// so the program compiles and evaluates offline.
/// </summary>
internal static class StatsCompileCommand
{
    /// <summary>The connection string the worker reads too (Aspire's ConnectionStrings:recap-model).</summary>
    public const string ModelVariable = "ConnectionStrings__recap-model";

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = $"The model: Endpoint=<OpenAI-compatible URL, e.g. Ollama's http://localhost:11434/v1>;Model=<name>[;Key=<key>] (default: ${ModelVariable})." };
        var replay = new Option<string?>("--replay") { Description = $"Recorded replies (JSON Lines) to play instead of a model, e.g. {Path.Combine(RecapProgram.SourceFolder, RecapProgram.RepliesFile)}." };
        var devset = new Option<string?>("--devset") { Description = $"The dev set (default: {Path.Combine(RecapProgram.SourceFolder, RecapProgram.DevSetFile)} of the repository)." };
        var output = new Option<string?>("--out") { Description = $"Where the compiled program goes (default: {Path.Combine(RecapProgram.SourceFolder, RecapProgram.CompiledFile)} of the repository)." };
        var command = new Command("compile", "Compile the recap program against its metric and dev set; print the metric before and after.")
        {
            model,
            replay,
            devset,
            output,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(model) ?? Environment.GetEnvironmentVariable(ModelVariable),
            parseResult.GetValue(replay),
            parseResult.GetValue(devset),
            parseResult.GetValue(output),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? modelConnection, string? replay, string? devset, string? output, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find(Environment.CurrentDirectory);
        string? InRepository(string file) => root is null ? null : Path.Combine(root, RecapProgram.SourceFolder, file);
        devset ??= InRepository(RecapProgram.DevSetFile);
        output ??= InRepository(RecapProgram.CompiledFile);
        if (devset is null || !File.Exists(devset) || output is null)
        {
            return Fail($"no dev set at {devset ?? RecapProgram.DevSetFile}: run in the repository, or pass --devset <file> and --out <file>");
        }

        IChatClient chat;
        string described;
        if (replay is not null)
        {
            if (!File.Exists(replay))
            {
                return Fail($"no recorded replies at {replay}");
            }

            chat = ReplayChatClient.Load(replay);
            described = $"recorded replies {Path.GetFileName(replay)}";
        }
        else if (ChatModelConnection.TryParse(modelConnection, out var connection, out var problem))
        {
            chat = connection!.CreateChatClient();
            described = connection.ToString();
        }
        else
        {
            return Fail($"{problem}: set {ModelVariable}=Endpoint=...;Model=..., pass --model, or pass --replay <recorded replies> to compile offline");
        }

        try
        {
            using (chat)
            {
                var examples = DevSet.Load<PeriodDigest, Recap>(devset);
                var compilation = await RecapCompiler.CompileAsync(chat, examples, cancellationToken);
                compilation.Program.Save(output);
                Console.WriteLine($"recap program on {described}: {examples.Count(e => e.Split == Example.Train)} train, {examples.Count(e => e.Split == Example.Dev)} dev examples");
                Console.WriteLine($"before: {compilation.Before}");
                Console.WriteLine($"after:  {compilation.After}");
                Console.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, output)} ({compilation.Program.Demos.Count} demonstrations)");
                return ExitCodes.Clean;
            }
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            // A dev set that does not parse, recorded replies that run out.
            return Fail(exception.Message);
        }
        catch (Exception exception) when (exception is AggregateException or HttpRequestException or System.ClientModel.ClientResultException)
        {
            // The client retries before it gives up; the first cause says enough.
            var cause = exception is AggregateException { InnerExceptions: [var first, ..] } ? first : exception;
            return Fail($"the model {described} did not answer: {cause.Message.ReplaceLineEndings(" ")}", ExitCodes.ModelUnavailable);
        }
    }

    private static int Fail(string message, int exitCode = ExitCodes.UnusableInput)
    {
        Console.Error.WriteLine($"stack: {message}");
        return exitCode;
    }
}
