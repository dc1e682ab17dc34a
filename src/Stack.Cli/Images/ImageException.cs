namespace Stack.Cli.Images;

/// <summary>
/// Why an image operation could not be done, in one sentence for the person or CI job reading it
/// (e.g. "registry at localhost:5000 is not reachable"); never a stack trace.
/// </summary>
internal sealed class ImageException(string message, bool rejected = false) : Exception(message)
{
    /// <summary>
    /// True when the input was readable but is refused: a missing or invalid signature, a tampered
    /// manifest, the wrong key. False when it could not be judged: an unreachable registry, a missing key.
    /// </summary>
    public bool Rejected { get; } = rejected;
}
