namespace Stack.Policy.Tests;

/// <summary>Tests that put a kubectl of their own first on PATH: run alone, since PATH is the whole test process's.</summary>
[CollectionDefinition(nameof(KubectlOnPath), DisableParallelization = true)]
public sealed class KubectlOnPath;

/// <summary>A kustomization kubectl cannot render is a problem that says why, whatever kubectl does. (Shell scripts stand in for kubectl.)</summary>
[Collection(nameof(KubectlOnPath))]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KustomizeTests
{
    [Theory]
    [InlineData("printf 'error: missing.yaml: no such file\\nUsage: kubectl kustomize DIR\\n' >&2; exit 1", "kubectl kustomize failed: error: missing.yaml: no such file")]
    [InlineData("printf '\\n\\n  Error: no kustomization\\n' >&2; exit 1", "kubectl kustomize failed: Error: no kustomization")]
    [InlineData("exit 3", "kubectl kustomize failed: exit code 3")]
    public void AKubectlThatFailsIsAProblemWithItsFirstWordsOrItsExitCode(string script, string message)
    {
        using var bin = new TemporaryDirectory();
        WriteKubectl(bin.Path, script);

        var problem = Assert.Single(WithPath(bin.Path, Kustomization).Problems);

        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void WithoutKubectlAKustomizationIsAProblemSayingKubectlIsNeeded()
    {
        using var bin = new TemporaryDirectory();

        var problem = Assert.Single(WithPath(bin.Path, Kustomization).Problems);

        Assert.StartsWith("kubectl is needed to render this kustomization and could not be started: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatKubectlRendersIsReadAsTheKustomizationsObjects()
    {
        using var bin = new TemporaryDirectory();
        WriteKubectl(bin.Path, "printf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: rendered}\\n'");

        var manifest = Assert.Single(WithPath(bin.Path, Kustomization).Manifests);

        Assert.Equal("rendered", manifest.Name);
        Assert.EndsWith(" (kustomize)", manifest.Source, StringComparison.Ordinal);
    }

    private static void WriteKubectl(string folder, string script)
    {
        var kubectl = Path.Combine(folder, "kubectl");
        File.WriteAllText(kubectl, $"#!/bin/sh\n{script}\n");
        File.SetUnixFileMode(kubectl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static ManifestSet Kustomization(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "kustomization.yaml"), "resources: []\n");
        return ManifestLoader.Load(folder);
    }

    /// <summary>Reads a kustomization with <paramref name="path"/> as the only PATH, as a machine with that kubectl (or none) would.</summary>
    private static ManifestSet WithPath(string path, Func<string, ManifestSet> read)
    {
        using var folder = new TemporaryDirectory();
        var saved = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", path);
        try
        {
            return read(folder.Path);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", saved);
        }
    }
}
