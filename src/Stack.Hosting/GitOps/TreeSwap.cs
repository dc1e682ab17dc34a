namespace Stack.Hosting.GitOps;

/// <summary>
/// Replaces a folder as a whole: the new files are written beside it, checked, then swapped in by
/// renames, so a failed or interrupted publish leaves the old tree exactly as it was.
/// </summary>
internal static class TreeSwap
{
    /// <summary>Writes with <paramref name="write"/> into a staging folder, runs <paramref name="check"/> on it, then swaps it into <paramref name="target"/>.</summary>
    public static async Task ReplaceAsync(string target, Action<string> write, Func<string, Task> check)
    {
        target = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target)!;
        var name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);

        // Same parent, same filesystem: the renames below are atomic.
        var staging = Path.Combine(parent, $".{name}.publishing-{Guid.NewGuid():N}");
        try
        {
            write(staging);
            await check(staging);

            if (!Directory.Exists(target))
            {
                Directory.Move(staging, target);
                return;
            }

            var retired = Path.Combine(parent, $".{name}.replaced-{Guid.NewGuid():N}");
            Directory.Move(target, retired);
            try
            {
                Directory.Move(staging, target);
            }
            catch
            {
                Directory.Move(retired, target);
                throw;
            }

            Directory.Delete(retired, recursive: true);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }
}
