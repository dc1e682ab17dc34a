using k8s;
using k8s.Models;

namespace Stack.Hosting.Tests.GitOps;

/// <summary>
/// Typed models of the custom kinds we render (Argo CD's Application, ApplicationSet and
/// AppProject; External Secrets' ExternalSecret), holding the fields we use. Loading is strict, so
/// a misspelt or misplaced field fails the test instead of being ignored by a cluster.
/// </summary>
internal static class ArgoCd
{
    public abstract class CustomObject<TSpec> : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "";
        public string Kind { get; set; } = "";
        public V1ObjectMeta Metadata { get; set; } = new();
        public TSpec Spec { get; set; } = default!;
    }

    public sealed class Application : CustomObject<ApplicationSpec>;

    public sealed class ApplicationSpec
    {
        public string Project { get; set; } = "";
        public Source Source { get; set; } = new();
        public Destination Destination { get; set; } = new();
        public SyncPolicy? SyncPolicy { get; set; }
    }

    public sealed class Source
    {
        public string RepoURL { get; set; } = "";
        public string TargetRevision { get; set; } = "";
        public string Path { get; set; } = "";
    }

    public sealed class Destination
    {
        public string Server { get; set; } = "";
        public string Namespace { get; set; } = "";
    }

    public sealed class SyncPolicy
    {
        public Automated? Automated { get; set; }
        public List<string>? SyncOptions { get; set; }
        public Retry? Retry { get; set; }
    }

    public sealed class Automated
    {
        public bool Prune { get; set; }
        public bool SelfHeal { get; set; }
    }

    public sealed class Retry
    {
        public int Limit { get; set; }
        public Backoff Backoff { get; set; } = new();
    }

    public sealed class Backoff
    {
        public string Duration { get; set; } = "";
        public int Factor { get; set; }
        public string MaxDuration { get; set; } = "";
    }

    public sealed class ApplicationSet : CustomObject<ApplicationSetSpec>;

    public sealed class ApplicationSetSpec
    {
        public bool GoTemplate { get; set; }
        public List<string> GoTemplateOptions { get; set; } = [];
        public List<Generator> Generators { get; set; } = [];
        public ApplicationSetSyncPolicy? SyncPolicy { get; set; }
        public ApplicationTemplate Template { get; set; } = new();
    }

    public sealed class ApplicationSetSyncPolicy
    {
        public bool PreserveResourcesOnDeletion { get; set; }
    }

    public sealed class Generator
    {
        public ListGenerator? List { get; set; }
        public MatrixGenerator? Matrix { get; set; }
        public GitGenerator? Git { get; set; }
    }

    public sealed class ListGenerator
    {
        public List<Dictionary<string, string>> Elements { get; set; } = [];
    }

    public sealed class MatrixGenerator
    {
        public List<Generator> Generators { get; set; } = [];
    }

    public sealed class GitGenerator
    {
        public string RepoURL { get; set; } = "";
        public string Revision { get; set; } = "";
        public List<GitFile> Files { get; set; } = [];
    }

    public sealed class GitFile
    {
        public string Path { get; set; } = "";
    }

    public sealed class ApplicationTemplate
    {
        public V1ObjectMeta Metadata { get; set; } = new();
        public ApplicationSpec Spec { get; set; } = new();
    }

    public sealed class AppProject : CustomObject<AppProjectSpec>;

    public sealed class AppProjectSpec
    {
        public string Description { get; set; } = "";
        public List<string> SourceRepos { get; set; } = [];
        public List<Destination> Destinations { get; set; } = [];
        public List<GroupKind> ClusterResourceWhitelist { get; set; } = [];
        public List<GroupKind> NamespaceResourceWhitelist { get; set; } = [];
    }

    public sealed class GroupKind
    {
        public string Group { get; set; } = "";
        public string Kind { get; set; } = "";
    }

    public sealed class ExternalSecret : CustomObject<ExternalSecretSpec>;

    public sealed class ExternalSecretSpec
    {
        public string RefreshInterval { get; set; } = "";
        public StoreReference SecretStoreRef { get; set; } = new();
        public SecretTarget Target { get; set; } = new();
        public List<SecretData> Data { get; set; } = [];
    }

    public sealed class StoreReference
    {
        public string Kind { get; set; } = "";
        public string Name { get; set; } = "";
    }

    public sealed class SecretTarget
    {
        public string Name { get; set; } = "";
        public string CreationPolicy { get; set; } = "";
    }

    public sealed class SecretData
    {
        public string SecretKey { get; set; } = "";
        public RemoteReference RemoteRef { get; set; } = new();
    }

    public sealed class RemoteReference
    {
        public string Key { get; set; } = "";
    }
}
