using Stack.GitOps;
using Stack.Hosting.GitOps.Kubernetes;

namespace Stack.Hosting.GitOps.Admission;

/// <summary>
/// The cluster's side of the CI gate: only images signed by the CI key run. Sigstore's
/// policy-controller enforces a <c>ClusterImagePolicy</c> in every namespace labelled
/// <see cref="IncludeLabel"/>: every image under the image registry needs a cosign signature by the
/// key (<c>WithImageSigning</c>), checked against the image's digest. The key authority names no
/// transparency log, so the controller verifies the signature alone, as <c>stack image verify</c> does.
/// </summary>
internal sealed class ImageAdmissionManifests(GitOpsEnvironmentResource environment, IReadOnlyList<string> imageRegistries)
{
    /// <summary>The namespace label policy-controller enforces its policies in.</summary>
    public const string IncludeLabel = "policy.sigstore.dev/include";

    public const string PolicyName = "stack-signed-images";

    /// <summary>Files of the admission folder, by name.</summary>
    public IEnumerable<(string File, object Manifest)> Render()
    {
        yield return (DeployTree.Kustomization, Yaml.Map(
            ("apiVersion", "kustomize.config.k8s.io/v1beta1"),
            ("kind", "Kustomization"),
            ("resources", Yaml.List("clusterimagepolicy.yaml"))));

        yield return ("clusterimagepolicy.yaml", Yaml.Map(
            ("apiVersion", "policy.sigstore.dev/v1alpha1"),
            ("kind", "ClusterImagePolicy"),
            ("metadata", Yaml.Map(
                ("name", PolicyName),
                ("labels", Yaml.Sorted([new(Labels.PartOf, environment.PartOf), new(Labels.ManagedBy, "stack-gitops")])),
                // With the admission policies, before any workload.
                ("annotations", Yaml.Map((Labels.SyncWave, "-10"))))),
            ("spec", Yaml.Map(
                ("images", imageRegistries.Select(registry => (object)Yaml.Map(("glob", $"{registry}/**"))).ToList()),
                ("authorities", Yaml.List(Yaml.Map(
                    ("name", "stack-ci"),
                    ("key", Yaml.Map(
                        ("hashAlgorithm", "sha256"),
                        ("data", environment.SigningPublicKey!))))))))));
    }
}
