using System.Globalization;

namespace Leaderboard.Bench.Stack;

/// <summary>Resident memory of processes, read from /proc.</summary>
internal static class ProcessMemory
{
    /// <summary>Resident set size of <paramref name="pid"/> in bytes (VmRSS), or 0 when it is gone.</summary>
    public static long ResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(text => text.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The process that runs the API: <paramref name="pid"/> itself, or the descendant whose command
    /// line names Leaderboard.Api when DCP started it through `dotnet run`.
    /// </summary>
    public static int ProgramOf(int pid)
    {
        foreach (var candidate in Descendants(pid).Prepend(pid))
        {
            var commandLine = CommandLine(candidate);
            if (commandLine.Contains("Leaderboard.Api", StringComparison.Ordinal) && !commandLine.Contains(" run ", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return pid;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            try
            {
                var parent = File.ReadLines($"{directory}/status").FirstOrDefault(text => text.StartsWith("PPid:", StringComparison.Ordinal));
                if (parent is not null && int.Parse(parent[5..].Trim(), CultureInfo.InvariantCulture) == pid)
                {
                    children.Add(candidate);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process ended while the folder was read.
            }
        }

        foreach (var child in children)
        {
            yield return child;
            foreach (var grandchild in Descendants(child))
            {
                yield return grandchild;
            }
        }
    }
}
