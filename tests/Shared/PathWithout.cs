namespace Stack.Tests.Shared;

/// <summary>
/// Hides programs from PATH: a folder of links to every program PATH had, except the hidden ones.
/// <see cref="ForThisProcess"/> swaps this process's PATH until disposed (the AppHost built in-process
/// reads it); <see cref="ForChildProcesses"/> only builds the folder, to pass as a child's PATH.
/// </summary>
internal sealed class PathWithout : IDisposable
{
    private readonly string? _originalPath = Environment.GetEnvironmentVariable("PATH");
    private readonly TemporaryDirectory _shadow = new();
    private readonly bool _appliedToThisProcess;

    private PathWithout(string[] hiddenPrograms, bool applyToThisProcess)
    {
        var folders = (_originalPath ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var program in folders.Where(Directory.Exists).SelectMany(Directory.EnumerateFiles))
        {
            var name = Path.GetFileName(program);
            var link = Path.Combine(_shadow.Path, name);
            if (!hiddenPrograms.Contains(name) && !File.Exists(link))
            {
                File.CreateSymbolicLink(link, program);
            }
        }

        if (applyToThisProcess)
        {
            Environment.SetEnvironmentVariable("PATH", _shadow.Path);
            _appliedToThisProcess = true;
        }
    }

    /// <summary>The PATH without the hidden programs.</summary>
    public string Value => _shadow.Path;

    /// <summary>Hides <paramref name="hiddenPrograms"/> from this process until disposed.</summary>
    public static PathWithout ForThisProcess(params string[] hiddenPrograms) => new(hiddenPrograms, applyToThisProcess: true);

    /// <summary>A PATH (<see cref="Value"/>) without <paramref name="hiddenPrograms"/> for child processes; this process keeps its own.</summary>
    public static PathWithout ForChildProcesses(params string[] hiddenPrograms) => new(hiddenPrograms, applyToThisProcess: false);

    public void Dispose()
    {
        if (_appliedToThisProcess)
        {
            Environment.SetEnvironmentVariable("PATH", _originalPath);
        }

        _shadow.Dispose();
    }
}
