namespace Stack.AppHost.Tests;

/// <summary>
/// Hides programs from PATH for the duration of a test: PATH is swapped for one folder of links
/// to every program it had, except the hidden ones. Restored on dispose.
/// </summary>
internal sealed class PathWithout : IDisposable
{
    private readonly string? _originalPath = Environment.GetEnvironmentVariable("PATH");
    private readonly TemporaryDirectory _shadow = new();

    public PathWithout(params string[] hiddenPrograms)
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

        Environment.SetEnvironmentVariable("PATH", _shadow.Path);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("PATH", _originalPath);
        _shadow.Dispose();
    }
}
