namespace Stack.Cli;

/// <summary>What the process exit code tells a CI job.</summary>
internal static class ExitCodes
{
    public const int Clean = 0;

    /// <summary>At least one policy rejects at least one object; or an image is refused: unsigned, tampered, signed by another key.</summary>
    public const int Violations = 1;

    /// <summary>The input could not be judged: a missing path, invalid YAML, no policies, a policy that does not compile, a missing key, an unreachable registry.</summary>
    public const int UnusableInput = 2;

    /// <summary>The language model configured for `stack stats compile` did not answer.</summary>
    public const int ModelUnavailable = 3;
}
