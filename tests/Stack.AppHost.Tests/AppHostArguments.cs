namespace Stack.AppHost.Tests;

/// <summary>The command line of an AppHost a test builds itself, isolated like <see cref="StackAppHost"/>'s: its own data folder and the tests' API keys.</summary>
internal static class AppHostArguments
{
    /// <param name="infrastructure">Stack:LocalInfrastructure: <c>auto</c>, <c>containers</c> or <c>processes</c>.</param>
    /// <param name="dataDirectory">Stack:DataDirectory, a folder of the test's own.</param>
    public static string[] Isolated(string infrastructure, string dataDirectory) =>
    [
        $"--Stack:LocalInfrastructure={infrastructure}",
        $"--Stack:DataDirectory={dataDirectory}",
        $"--Parameters:leaderboard-server-key={StackAppHost.ServerKey}",
        $"--Parameters:leaderboard-admin-key={StackAppHost.AdminKey}",
    ];
}
